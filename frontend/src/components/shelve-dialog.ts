import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { Alert } from "../api/types";
import { sharedStyles } from "../styles";
import { duration } from "../util/format";

export interface ShelveRequest {
  reason: string;
  /** seconds; null for a one-shot shelve */
  duration: number | null;
}

const CHOICES = [900, 3600, 4 * 3600, 8 * 3600];

/** Asks for a reason and a duration (up to the alert's `max_shelve`). */
@customElement("fh-shelve-dialog")
export class ShelveDialog extends LitElement {
  static styles = [
    sharedStyles,
    css`
      dialog {
        background: var(--fh-surface);
        color: var(--fh-text);
        border: 1px solid var(--fh-border);
        border-radius: 10px;
        width: min(26rem, 92vw);
      }
      form {
        display: grid;
        gap: 0.6rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
    `,
  ];

  @state() private alert: Alert | null = null;
  @state() private error = "";
  @query("dialog") private dialog!: HTMLDialogElement;
  private resolve: ((value: ShelveRequest | null) => void) | null = null;

  async ask(alert: Alert): Promise<ShelveRequest | null> {
    this.alert = alert;
    this.error = "";
    await this.updateComplete;
    this.dialog.querySelector("form")?.reset();
    this.dialog.showModal();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(value: ShelveRequest | null): void {
    this.dialog.close();
    this.resolve?.(value);
    this.resolve = null;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const reason = String(form.get("reason") ?? "").trim();
    if (!reason) {
      this.error = "A reason is required to shelve an alert.";
      return;
    }
    const choice = String(form.get("duration"));
    this.finish({ reason, duration: choice === "oneshot" ? null : Number(choice) });
  }

  render(): TemplateResult {
    const max = this.alert?.max_shelve ?? 8 * 3600;
    const choices = CHOICES.filter((s) => s <= max);
    if (!choices.includes(max)) choices.push(max);
    return html`<dialog aria-labelledby="shelve-title" @cancel=${() => this.finish(null)}>
      <form @submit=${this.submit}>
        <h2 id="shelve-title">Shelve ${this.alert?.name ?? ""}</h2>
        <label>Reason <input name="reason" required autofocus placeholder="e.g. sensor under maintenance" /></label>
        <label>Duration
          <select name="duration">
            ${choices.map((s, i) => html`<option value=${s} ?selected=${i === 1 || choices.length === 1}>${duration(s)}</option>`)}
            <option value="oneshot">Until it next clears</option>
          </select>
        </label>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
        <div class="toolbar">
          <button type="button" @click=${() => this.finish(null)}>Cancel</button>
          <button class="primary" type="submit">Shelve</button>
        </div>
      </form>
    </dialog>`;
  }
}
