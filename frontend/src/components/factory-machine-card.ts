import { LitElement, css, html, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { FactoryMachine, MachineOee, OeeResult } from "../api/factory";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { currentShift } from "../util/factory";
import { relativeTime } from "../util/format";
import "./oee-bars";

/**
 * One machine: online state, health score, current shift's and today's OEE with their
 * factors, and the top downtime reasons of the day. `refresh` reloads the figures.
 */
@customElement("fh-factory-machine-card")
export class FactoryMachineCard extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      article {
        height: 100%;
        box-sizing: border-box;
        display: flex;
        flex-direction: column;
        gap: 0.6rem;
      }
      article[aria-current="true"] {
        border-color: var(--fh-accent);
        box-shadow: 0 0 0 1px var(--fh-accent);
      }
      header {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        align-items: baseline;
        flex-wrap: wrap;
      }
      h4 {
        margin: 0;
        font-size: 1rem;
      }
      .status {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
        font-size: 0.85rem;
      }
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
        gap: 0.75rem;
      }
      ol {
        margin: 0;
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
      .counts {
        font-size: 0.85rem;
      }
      footer {
        margin-top: auto;
      }
    `,
  ];

  @property({ attribute: false }) machine!: FactoryMachine;
  @property({ type: Boolean }) selected = false;
  /** Bump to reload the OEE figures. */
  @property({ type: Number }) refresh = 0;
  @state() private shift: OeeResult | null = null;
  @state() private day: OeeResult | null = null;
  @state() private error = "";
  private unlisten: (() => void) | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.entities.changes.listen((changed) => {
      if (this.machine?.entities.some((id) => changed.has(id))) this.requestUpdate();
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("machine") || changed.has("refresh")) void this.load();
  }

  private async load(): Promise<void> {
    const path = `/api/factory/machines/${this.machine.id}/oee`;
    try {
      const [shifts, day] = await Promise.all([
        hubState.api.get<MachineOee>(path, { period: "shift" }),
        hubState.api.get<MachineOee>(path, { period: "day" }),
      ]);
      this.shift = currentShift(shifts.results);
      this.day = day.results[0] ?? null;
      this.error = "";
    } catch (err) {
      this.error = errorText(err);
    }
  }

  private entityState(suffix: string): string | null {
    const id = this.machine.entities.find((e) => e.endsWith(suffix));
    return id ? (hubState.entities.get(id)?.state ?? null) : null;
  }

  private online(): boolean | null {
    const live = this.entityState("_online");
    if (live === "on") return true;
    if (live === "off") return false;
    const seen = this.machine.last_seen;
    if (seen === null) return null;
    return Date.now() / 1000 - seen < 2 * this.machine.reporting_interval_s;
  }

  render(): TemplateResult {
    const machine = this.machine;
    const online = this.online();
    const health = Number(this.entityState("_health"));
    const reasons = (this.day?.downtime_reasons ?? []).slice(0, 3);
    const runState = this.entityState("_run_state");
    return html`<article class="card" aria-current=${this.selected ? "true" : "false"} data-machine=${machine.id}>
      <header>
        <h4>${machine.name}</h4>
        <div class="status">
          <span class="badge ${online ? "ok" : online === false ? "bad" : "muted"}" data-testid="online"
            >${online ? "● Online" : online === false ? "○ Offline" : "No data yet"}</span
          >
          ${runState && runState !== "unknown" && runState !== "unavailable" ? html`<span class="badge muted">${runState}</span>` : ""}
          <span class="badge ${health >= 70 ? "ok" : health >= 40 ? "sev-warning" : "bad"}" title="Health score 0-100"
            >${Number.isFinite(health) && this.entityState("_health") !== null ? `Health ${Math.round(health)}` : "Health —"}</span
          >
        </div>
      </header>
      ${machine.last_seen ? html`<span class="muted counts">Last reading ${relativeTime(machine.last_seen)}</span>` : ""}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      <div class="figures">
        <fh-oee-bars label="Shift" title=${this.shift ? `Shift ${this.shift.period.label}` : "No shift today"} .result=${this.shift}></fh-oee-bars>
        <fh-oee-bars label="Today" .result=${this.day}></fh-oee-bars>
      </div>
      ${this.day
        ? html`<span class="counts muted">${this.day.total_count} parts, ${this.day.reject_count} rejects today</span>`
        : ""}
      ${reasons.length
        ? html`<div>
            <strong class="counts">Top downtime today</strong>
            <ol>
              ${reasons.map((r) => html`<li>${r.name || `code ${r.code}`}: ${r.minutes} min (${r.occurrences}×)</li>`)}
            </ol>
          </div>`
        : ""}
      <footer>
        <button @click=${this.select} aria-pressed=${this.selected ? "true" : "false"}>Trend and reports</button>
      </footer>
    </article>`;
  }

  private select(): void {
    this.dispatchEvent(new CustomEvent("select-machine", { detail: this.machine.id, bubbles: true, composed: true }));
  }
}
