import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { Alert } from "../api/types";
import "../components/alert-history";
import "../components/shelve-dialog";
import type { ShelveDialog } from "../components/shelve-dialog";
import { isShelved } from "../store/alerts";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime, relativeTime } from "../util/format";

const ISA_NAMES: Record<string, string> = {
  A: "Normal",
  B: "Unacknowledged",
  C: "Acknowledged",
  D: "Returned, unacknowledged",
  E: "Latched",
  F: "Shelved",
  G: "Suppressed",
  H: "Out of service",
};

@customElement("fh-alerts-page")
export class AlertsPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      tr.critical td:first-child {
        border-left: 4px solid var(--fh-crit);
      }
      tr.warning td:first-child {
        border-left: 4px solid var(--fh-warn);
      }
      tr.info td:first-child {
        border-left: 4px solid var(--fh-info);
      }
      .actions {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
      }
    `,
  ];

  @state() private error = "";
  @query("fh-shelve-dialog") private shelveDialog!: ShelveDialog;
  private unlisten: (() => void) | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.alerts.listen(() => this.requestUpdate());
    void hubState.loadAlerts();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
  }

  private async act(alert: Alert, action: string, body: unknown = {}): Promise<void> {
    try {
      const answer = await hubState.api.post<{ alert: Alert }>(`/api/alerts/${encodeURIComponent(alert.id)}/${action}`, body);
      hubState.alerts.update(answer.alert);
      this.error = "";
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async shelve(alert: Alert): Promise<void> {
    const request = await this.shelveDialog.ask(alert);
    if (!request) return;
    await this.act(alert, "shelve", request.duration === null ? { reason: request.reason } : request);
  }

  private row(alert: Alert, operator: boolean): TemplateResult {
    const shelved = isShelved(alert);
    return html`<tr class=${alert.severity} data-alert=${alert.id}>
      <td><span class="badge sev-${alert.severity}">${alert.severity}</span></td>
      <td>${alert.name}<div class="muted">${alert.source ?? alert.entity_id ?? ""}</div></td>
      <td title=${ISA_NAMES[alert.isa_state] ?? ""}>${alert.isa_state} · ${ISA_NAMES[alert.isa_state] ?? alert.isa_state}
        ${shelved ? html`<div class="muted" data-testid="shelved">shelved${alert.shelving.until ? ` until ${dateTime(alert.shelving.until)}` : " until it clears"}: ${alert.shelving.reason}</div>` : ""}
      </td>
      <td>${alert.active_since ? html`<span title=${dateTime(alert.active_since)}>${relativeTime(alert.active_since)}</span>` : "—"}</td>
      <td>${alert.last_value === null || alert.last_value === undefined ? "—" : String(alert.last_value)}</td>
      <td>
        ${operator
          ? html`<div class="actions">
              ${!alert.acknowledged && alert.can_acknowledge ? html`<button class="primary" @click=${() => void this.act(alert, "acknowledge")}>Acknowledge</button>` : ""}
              ${shelved
                ? html`<button @click=${() => void this.act(alert, "unshelve")}>Unshelve</button>`
                : html`<button @click=${() => void this.shelve(alert)}>Shelve…</button>`}
            </div>`
          : ""}
      </td>
    </tr>`;
  }

  render(): TemplateResult {
    const operator = hubState.can("operator");
    const active = hubState.alerts.active();
    return html`
      <h1>Alerts</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      <h2>Active</h2>
      ${active.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Severity</th><th>Alert</th><th>State</th><th>Since</th><th>Value</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>${active.map((a) => this.row(a, operator))}</tbody>
          </table></div>`
        : html`<p class="muted">No active alerts.</p>`}
      <h2>History</h2>
      <fh-alert-history></fh-alert-history>
      <fh-shelve-dialog></fh-shelve-dialog>
    `;
  }
}
