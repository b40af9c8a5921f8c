import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { LogbookEntry } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

const HOURS = [1, 6, 24, 72, 168];

@customElement("fh-logbook-page")
export class LogbookPage extends LitElement {
  static styles = sharedStyles;

  @state() private entries: LogbookEntry[] = [];
  @state() private hours = 24;
  @state() private entity = "";
  @state() private error = "";
  @state() private loading = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    const end = Date.now();
    const start = new Date(end - this.hours * 3600_000).toISOString();
    try {
      this.entries = (
        await hubState.api.get<LogbookEntry[]>(`/api/logbook/${encodeURIComponent(start)}`, {
          end_time: new Date(end).toISOString(),
          entity: this.entity.trim() || undefined,
        })
      ).reverse();
      this.error = "";
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loading = false;
    }
  }

  render(): TemplateResult {
    return html`
      <h1>Logbook</h1>
      <form class="toolbar" @submit=${(e: Event) => { e.preventDefault(); void this.load(); }}>
        <label>Period
          <select @change=${(e: Event) => { this.hours = Number((e.target as HTMLSelectElement).value); void this.load(); }}>
            ${HOURS.map((h) => html`<option value=${h} ?selected=${h === this.hours}>last ${h < 48 ? `${h} h` : `${h / 24} d`}</option>`)}
          </select>
        </label>
        <input type="search" list="entity-ids" placeholder="Entity id (optional)" aria-label="Entity" .value=${this.entity}
          @input=${(e: Event) => (this.entity = (e.target as HTMLInputElement).value)} />
        <datalist id="entity-ids">${[...hubState.entities.states.keys()].slice(0, 1000).map((id) => html`<option value=${id}></option>`)}</datalist>
        <button type="submit" ?disabled=${this.loading}>Show</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.entries.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>When</th><th>What</th><th>Entry</th></tr></thead>
            <tbody>
              ${this.entries.slice(0, 1000).map(
                (e) => html`<tr>
                  <td>${dateTime(e.when)}</td>
                  <td>${e.entity_id ? html`<a href="/entity/${e.entity_id}">${e.name}</a>` : e.name}</td>
                  <td>${e.message}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        : html`<p class="muted">${this.loading ? "Loading…" : "Nothing happened in this period."}</p>`}
    `;
  }
}
