import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { FirmwareImage, Rollout, RolloutDetail } from "../api/ota";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { dateTime } from "../util/format";
import { groupProgress, rolloutActions, type RolloutAction } from "../util/ota";

const STATUS_CLASS: Record<string, string> = {
  running: "sev-info",
  soaking: "sev-info",
  waiting_approval: "sev-warning",
  paused: "sev-warning",
  finished: "ok",
  aborted: "bad",
};

/**
 * One rollout: status, per-group progress, the devices' states and progress when opened,
 * and pause/resume/abort/approve for operators. Fires `changed` after an action.
 */
@customElement("fh-ota-rollout-row")
export class OtaRolloutRow extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.5rem;
        align-items: center;
      }
      h3 {
        margin: 0;
        font-size: 1rem;
      }
      .groups {
        display: grid;
        gap: 0.35rem;
        margin: 0.6rem 0;
      }
      .group {
        display: grid;
        grid-template-columns: 6rem 1fr auto;
        gap: 0.5rem;
        align-items: center;
        font-size: 0.85rem;
      }
      progress {
        width: 100%;
        accent-color: var(--fh-accent);
      }
      .current {
        font-weight: 700;
      }
      .actions {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) rollout!: Rollout;
  @property({ attribute: false }) image: FirmwareImage | undefined;
  @state() private detail: RolloutDetail | null = null;
  @state() private error = "";
  @state() private busy = false;

  private async toggled(event: Event): Promise<void> {
    if ((event.target as HTMLDetailsElement).open) await this.loadDetail();
  }

  /** Reload the device records (when open). */
  async reload(): Promise<void> {
    if (this.detail) await this.loadDetail();
  }

  private async loadDetail(): Promise<void> {
    try {
      this.detail = await hubState.api.get<RolloutDetail>(`/api/ota/rollouts/${this.rollout.id}`);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private async act(action: RolloutAction): Promise<void> {
    if (action === "abort" && !confirm(`Abort rollout ${this.rollout.name || this.rollout.id}? Waiting devices fail with "aborted".`)) return;
    this.busy = true;
    try {
      await hubState.api.post(`/api/ota/rollouts/${this.rollout.id}/${action}`);
      this.error = "";
      this.dispatchEvent(new Event("changed", { bubbles: true, composed: true }));
      await this.reload();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  render(): TemplateResult {
    const r = this.rollout;
    const image = this.image;
    const actions = hubState.can("operator") ? rolloutActions(r.status) : [];
    return html`<article class="card" data-rollout=${r.id}>
      <header>
        <h3>${r.name || (image ? `${image.model} ${image.version}` : r.image_id)}</h3>
        <span class="badge ${STATUS_CLASS[r.status] ?? ""}" data-testid="rollout-status">${r.status.replace("_", " ")}</span>
      </header>
      <p class="muted" style="margin:.3rem 0 0">
        ${image ? `${image.model} → ${image.version}` : ""} · started ${dateTime(r.created_at)} by ${r.created_by}
        ${r.status_reason ? html` · ${r.status_reason}` : ""}
      </p>
      <div class="groups">
        ${r.group_stats.map((stats, index) => {
          const p = groupProgress(stats);
          return html`<div class="group ${index === r.current_group ? "current" : ""}">
            <span>${index === 0 && r.group_stats.length > 1 ? "Canary" : `Group ${index + 1}`}</span>
            <progress max="100" value=${p.percent} aria-label="Group ${index + 1}: ${p.percent} % done"></progress>
            <span>${p.succeeded}/${p.size} ok${p.failed ? html`, <span class="bad">${p.failed} failed</span>` : ""}${p.active ? `, ${p.active} busy` : ""}</span>
          </div>`;
        })}
      </div>
      ${actions.length
        ? html`<div class="actions">
            ${actions.map(
              (a) => html`<button class=${a === "abort" ? "danger" : a === "approve" ? "primary" : ""} ?disabled=${this.busy}
                @click=${() => void this.act(a)}>${a[0]!.toUpperCase()}${a.slice(1)}</button>`,
            )}
          </div>`
        : ""}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      <details @toggle=${this.toggled}>
        <summary>Devices</summary>
        ${this.detail
          ? html`<div class="table-wrap"><table>
              <thead><tr><th>Device</th><th>Group</th><th>From</th><th>State</th><th>Progress</th><th>Attempts</th><th>Error</th></tr></thead>
              <tbody>${this.detail.records.map(
                (rec) => html`<tr>
                  <td>${hubState.devices.find((d) => d.id === rec.device_id)?.name ?? rec.device_id}</td>
                  <td>${rec.group + 1}</td><td>${rec.from_version ?? "—"}</td><td>${rec.state}</td>
                  <td><progress max="100" value=${rec.progress} aria-label="${rec.progress} %"></progress> ${rec.progress} %</td>
                  <td>${rec.attempts}/${rec.max_attempts}</td>
                  <td>${rec.error_code ? html`<span class="bad" title=${rec.error_text ?? ""}>${rec.error_code}</span>` : "—"}</td>
                </tr>`,
              )}</tbody>
            </table></div>`
          : html`<p class="muted">Loading…</p>`}
      </details>
    </article>`;
  }
}
