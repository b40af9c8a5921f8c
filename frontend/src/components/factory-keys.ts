import { LitElement, html, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { FactoryMachine, IngestKey } from "../api/factory";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { dateTime } from "../util/format";
import type { ConfirmDialog } from "./confirm-dialog";
import "./confirm-dialog";

/** Machine ingest keys: list, create (the token is shown once) and revoke. */
@customElement("fh-factory-keys")
export class FactoryKeys extends LitElement {
  static styles = sharedStyles;

  @property({ attribute: false }) machines: FactoryMachine[] = [];
  @state() private keys: IngestKey[] = [];
  @state() private created: { machine: string; token: string } | null = null;
  @state() private error = "";
  @state() private showRevoked = false;
  @query("fh-confirm-dialog") private confirm!: ConfirmDialog;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.keys = (await hubState.api.get<{ keys: IngestKey[] }>("/api/factory/keys")).keys;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const machine = String(data.get("machine"));
    const label = String(data.get("label") ?? "").trim();
    try {
      const answer = await hubState.api.post<IngestKey & { token: string }>("/api/factory/keys", {
        machine,
        ...(label ? { label } : {}),
      });
      this.created = { machine, token: answer.token };
      this.error = "";
      form.reset();
      await this.load();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async revoke(key: IngestKey): Promise<void> {
    const ok = await this.confirm.ask(
      "Revoke ingest key",
      `Revoke key ${key.key_id} of ${key.machine}? The machine's requests with it fail from now on.`,
      "Revoke",
    );
    if (!ok) return;
    try {
      await hubState.api.delete(`/api/factory/keys/${encodeURIComponent(key.key_id)}`);
      await this.load();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  render(): TemplateResult {
    const keys = this.keys.filter((k) => this.showRevoked || k.revoked_ts === null);
    const revoked = this.keys.length - this.keys.filter((k) => k.revoked_ts === null).length;
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.created
        ? html`<div class="card" role="status" data-testid="new-key">
            <p>Copy the key for <strong>${this.created.machine}</strong> now; it is not shown again:</p>
            <code style="word-break:break-all">${this.created.token}</code>
            <p><button @click=${() => (this.created = null)}>Done</button></p>
          </div>`
        : ""}
      <form class="toolbar" style="margin-top:.75rem" @submit=${this.create} aria-label="Create an ingest key">
        <label>Machine
          <select name="machine" required>
            ${this.machines.map((m) => html`<option value=${m.id}>${m.id} (${m.name})</option>`)}
          </select>
        </label>
        <input name="label" maxlength="100" placeholder="Label, e.g. line PC" aria-label="Key label" />
        <button type="submit" class="primary">Create key</button>
      </form>
      ${revoked
        ? html`<label class="muted"><input type="checkbox" .checked=${this.showRevoked}
              @change=${(e: Event) => (this.showRevoked = (e.target as HTMLInputElement).checked)} />
            Show ${revoked} revoked</label>`
        : ""}
      ${keys.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Key</th><th>Machine</th><th>Label</th><th>Created</th><th>Last used</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>${keys.map(
              (k) => html`<tr>
                <td><code>${k.key_id}</code></td><td>${k.machine}</td><td>${k.label ?? "—"}</td>
                <td>${dateTime(k.created_ts)}</td><td>${dateTime(k.last_used_ts)}</td>
                <td>${k.revoked_ts === null
                  ? html`<button @click=${() => void this.revoke(k)} aria-label="Revoke key ${k.key_id}">Revoke</button>`
                  : html`<span class="muted">revoked ${dateTime(k.revoked_ts)}</span>`}</td>
              </tr>`,
            )}</tbody>
          </table></div>`
        : html`<p class="muted">No active ingest keys.</p>`}
      <fh-confirm-dialog></fh-confirm-dialog>
    `;
  }
}
