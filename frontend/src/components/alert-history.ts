import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Alert, Occurrence, Severity } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

interface Detail {
  alert: Alert;
  occurrences: Occurrence[];
}

/** Past occurrences of every alert, newest first, with filters. */
@customElement("fh-alert-history")
export class AlertHistory extends LitElement {
  static styles = sharedStyles;

  @state() private occurrences: (Occurrence & { name: string })[] = [];
  @state() private severity: Severity | "" = "";
  @state() private query = "";
  @state() private loading = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const ids = [...hubState.alerts.alerts.keys()];
      const details = await Promise.all(
        ids.map((id) => hubState.api.get<Detail>(`/api/alerts/${encodeURIComponent(id)}`)),
      );
      this.occurrences = details
        .flatMap((d) => d.occurrences.map((o) => ({ ...o, name: d.alert.name })))
        .sort((a, b) => b.start_ts - a.start_ts);
    } finally {
      this.loading = false;
    }
  }

  render(): TemplateResult {
    const q = this.query.toLowerCase();
    const shown = this.occurrences.filter(
      (o) =>
        (!this.severity || o.severity === this.severity) &&
        (!q || o.name.toLowerCase().includes(q) || o.alert_id.includes(q) || (o.outcome ?? "").includes(q)),
    );
    return html`
      <div class="toolbar">
        <input type="search" placeholder="Filter history" aria-label="Filter alert history" @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <select aria-label="Severity" @change=${(e: Event) => (this.severity = (e.target as HTMLSelectElement).value as Severity | "")}>
          <option value="">All severities</option>
          <option value="critical">critical</option>
          <option value="warning">warning</option>
          <option value="info">info</option>
        </select>
        <button @click=${() => void this.load()} ?disabled=${this.loading}>Refresh</button>
      </div>
      ${shown.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Alert</th><th>Severity</th><th>Started</th><th>Acknowledged</th><th>Cleared</th><th>Outcome</th><th>Values</th></tr></thead>
            <tbody>
              ${shown.map(
                (o) => html`<tr>
                  <td>${o.name}</td>
                  <td><span class="badge sev-${o.severity}">${o.severity}</span></td>
                  <td>${dateTime(o.start_ts)}</td>
                  <td>${o.ack_ts ? html`${dateTime(o.ack_ts)}<div class="muted">${o.ack_by ?? ""}</div>` : "—"}</td>
                  <td>${dateTime(o.clear_ts)}</td>
                  <td>${o.outcome ?? html`<span class="muted">open</span>`}</td>
                  <td>${String(o.first_value ?? "—")} → ${String(o.last_value ?? "—")}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        : html`<p class="muted">${this.loading ? "Loading…" : "No occurrences match."}</p>`}
    `;
  }
}
