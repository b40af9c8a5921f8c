import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { AutomationSummary } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";
import "../components/automation-toggle";

@customElement("fh-automations-page")
export class AutomationsPage extends LitElement {
  static styles = sharedStyles;

  @state() private automations: AutomationSummary[] = [];
  @state() private error = "";
  @state() private message = "";
  @state() private query = "";

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.automations = (await hubState.api.get<AutomationSummary[]>("/api/automations")).sort((a, b) =>
        a.alias.localeCompare(b.alias),
      );
      this.error = "";
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async run(automation: AutomationSummary): Promise<void> {
    try {
      await hubState.api.post(`/api/automations/${encodeURIComponent(automation.id)}/trigger`, {});
      this.message = `${automation.alias} ran.`;
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    const operator = hubState.can("operator");
    const q = this.query.toLowerCase();
    const shown = this.automations.filter((a) => !q || a.alias.toLowerCase().includes(q) || a.id.includes(q));
    return html`
      <h1>Automations</h1>
      <div class="toolbar">
        <input type="search" aria-label="Search automations" placeholder="Search automations" @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <span class="muted" role="status">${this.message}</span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${shown.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Enabled</th><th>Name</th><th>Last triggered</th><th>Mode</th>${operator ? html`<th><span class="visually-hidden">Actions</span></th>` : ""}</tr></thead>
            <tbody>
              ${shown.map(
                (a) => html`<tr data-automation=${a.id}>
                  <td><fh-automation-toggle .automation=${a} ?disabled=${!operator} @changed=${(e: CustomEvent<AutomationSummary>) => this.replace(e.detail)}></fh-automation-toggle></td>
                  <td><a href="/automations/${encodeURIComponent(a.id)}">${a.alias}</a>${a.description ? html`<div class="muted">${a.description}</div>` : ""}</td>
                  <td>${a.last_triggered ? dateTime(a.last_triggered) : html`<span class="muted">never</span>`}</td>
                  <td>${a.mode}${a.current ? html` <span class="badge">${a.current} running</span>` : ""}</td>
                  ${operator ? html`<td><button @click=${() => void this.run(a)}>Run now</button></td>` : ""}
                </tr>`,
              )}
            </tbody>
          </table></div>`
        : html`<p class="muted">${this.error ? "" : "No automations."}</p>`}
    `;
  }

  private replace(updated: AutomationSummary): void {
    this.automations = this.automations.map((a) => (a.id === updated.id ? updated : a));
  }
}
