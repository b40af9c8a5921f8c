import { LitElement, html, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { AuditEntry } from "../api/ota";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(", ");
}

/** Who uploaded, deleted, started, paused, resumed, approved and aborted what, newest first. */
@customElement("fh-ota-audit")
export class OtaAudit extends LitElement {
  static styles = sharedStyles;

  @property({ attribute: false }) entries: AuditEntry[] = [];

  render(): TemplateResult {
    if (!this.entries.length) return html`<p class="muted">Nothing recorded yet.</p>`;
    return html`<div class="table-wrap"><table>
      <thead><tr><th>When</th><th>Who</th><th>What</th><th>Target</th><th>Details</th></tr></thead>
      <tbody>${this.entries.map(
        (e) => html`<tr><td>${dateTime(e.at)}</td><td>${e.user}</td><td>${e.action.replace(/_/g, " ")}</td>
          <td><code>${e.target}</code></td><td>${detailText(e.detail)}</td></tr>`,
      )}</tbody>
    </table></div>`;
  }
}
