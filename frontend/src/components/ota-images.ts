import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { FirmwareImage } from "../api/ota";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { dateTime } from "../util/format";
import { formatBytes } from "../util/ota";
import type { ConfirmDialog } from "./confirm-dialog";
import "./confirm-dialog";

/** A detached signature file as the base64 text the hub expects (raw 64 bytes or text). */
async function signatureText(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 64) return btoa(String.fromCharCode(...bytes));
  return new TextDecoder().decode(bytes).trim();
}

/**
 * Firmware images with their release notes; admins upload (model, version, notes, image and
 * signature files) and delete. Fires `changed` after an upload or a deletion.
 */
@customElement("fh-ota-images")
export class OtaImages extends LitElement {
  static styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: 0.6rem;
        align-items: end;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        font-size: 0.9rem;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .images {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 1rem;
        align-items: baseline;
      }
      .delete {
        margin-left: auto;
      }
      .notes {
        white-space: pre-wrap;
        margin: 0.4rem 0;
      }
      .sha {
        font-size: 0.8rem;
      }
      .sha code {
        word-break: break-all;
      }
    `,
  ];

  @property({ attribute: false }) images: FirmwareImage[] = [];
  /** Model names to suggest in the upload form. */
  @property({ attribute: false }) models: string[] = [];
  @state() private error = "";
  @state() private status = "";
  @state() private busy = false;
  @query("fh-confirm-dialog") private confirm!: ConfirmDialog;

  private async upload(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const image = data.get("image");
    const signatureFile = data.get("signature_file");
    if (!(image instanceof File) || !image.size || !(signatureFile instanceof File) || !signatureFile.size) {
      this.error = "Choose the image file and its signature file.";
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      // The hub reads the fields first, then the file.
      const body = new FormData();
      body.set("model", String(data.get("model")).trim());
      body.set("version", String(data.get("version")).trim());
      body.set("release_notes", String(data.get("release_notes") ?? ""));
      body.set("signature", await signatureText(signatureFile));
      body.set("file", image, image.name);
      const added = await hubState.api.upload<FirmwareImage>("/api/ota/images", body);
      this.status = `Uploaded ${added.model} ${added.version}.`;
      form.reset();
      this.dispatchEvent(new Event("changed"));
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private async deleteImage(image: FirmwareImage): Promise<void> {
    const ok = await this.confirm.ask("Delete image", `Delete ${image.model} ${image.version}? Its file is removed from the hub.`, "Delete");
    if (!ok) return;
    try {
      await hubState.api.delete(`/api/ota/images/${encodeURIComponent(image.id)}`);
      this.status = `Deleted ${image.model} ${image.version}.`;
      this.dispatchEvent(new Event("changed"));
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private form(): TemplateResult {
    return html`<details class="card" style="margin-top:.75rem">
      <summary>Upload an image</summary>
      <form @submit=${this.upload} aria-label="Upload a firmware image">
        <label>Model<input name="model" required list="ota-models" autocomplete="off" /></label>
        <datalist id="ota-models">${this.models.map((m) => html`<option value=${m}></option>`)}</datalist>
        <label>Version<input name="version" required pattern="\\d+\\.\\d+\\.\\d+.*" placeholder="1.4.0" /></label>
        <label>Image file<input name="image" type="file" required accept=".bin,.gz,application/octet-stream" /></label>
        <label>Signature file<input name="signature_file" type="file" required accept=".sig,text/plain" /></label>
        <label class="wide">Release notes<textarea name="release_notes" rows="3" maxlength="4000"></textarea></label>
        <div><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? "Uploading…" : "Upload"}</button></div>
      </form>
    </details>`;
  }

  render(): TemplateResult {
    const admin = hubState.can("admin");
    return html`
      ${this.images.length
        ? html`<ul class="images">${this.images.map(
            (i) => html`<li class="card" data-image=${i.id}>
              <div class="title">
                <strong>${i.model} ${i.version}</strong>
                <span class="muted">${formatBytes(i.size)} · ${i.format}${i.idf_version ? ` · IDF ${i.idf_version}` : ""}</span>
                <span class="muted">uploaded ${dateTime(i.uploaded_at)} by ${i.uploaded_by}</span>
                ${admin
                  ? html`<button class="delete" @click=${() => void this.deleteImage(i)} aria-label="Delete ${i.model} ${i.version}">Delete</button>`
                  : ""}
              </div>
              <p class="notes">${i.release_notes || html`<span class="muted">No release notes.</span>`}</p>
              <div class="sha"><span class="muted">SHA-256</span> <code>${i.sha256}</code></div>
            </li>`,
          )}</ul>`
        : html`<p class="muted">No firmware images yet.</p>`}
      <p class="muted" role="status">${this.status}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${admin ? this.form() : ""}
      <fh-confirm-dialog></fh-confirm-dialog>
    `;
  }
}
