import { LitElement, css, html, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { MachineOee, OeeResult, Rollup } from "../api/factory";
import { ApiError } from "../api/client";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { dayRange, mapLimited, percent, today, trendData, type TrendData } from "../util/factory";
import "./oee-trend-chart";

const RANGES = [7, 14, 30];

/** The daily OEE trend of a site or a machine over the last 7, 14 or 30 days, with its sum. */
@customElement("fh-factory-trend")
export class FactoryTrend extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
        margin: 0.5rem 0 0;
      }
      .summary div {
        display: flex;
        flex-direction: column;
      }
      .summary dt {
        font-size: 0.8rem;
        color: var(--fh-muted);
      }
      .summary dd {
        margin: 0;
        font-weight: 600;
      }
      [aria-pressed="true"] {
        background: var(--fh-accent);
        color: var(--fh-accent-text);
      }
    `,
  ];

  @property() site = "";
  @property() machine = "";
  @property() timeZone = "";
  /** The range shown, in days (7, 14 or 30). */
  @property({ type: Number }) days = 7;
  @state() private data: TrendData | null = null;
  @state() private total: OeeResult | null = null;
  @state() private error = "";
  @state() private loading = false;
  private generation = 0;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("site") || changed.has("machine") || changed.has("days")) void this.load();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    const days = dayRange(today(this.timeZone || undefined), this.days);
    this.loading = true;
    try {
      const perDay = await mapLimited(days, 4, (day) => this.dayResult(day));
      const total = await this.rangeResult(days[0]!, days[days.length - 1]!);
      if (generation !== this.generation) return;
      this.data = trendData(days, perDay);
      this.total = total;
      this.error = "";
    } catch (err) {
      if (generation === this.generation) this.error = errorText(err);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  private async dayResult(day: string): Promise<OeeResult | null> {
    if (this.machine) {
      const answer = await hubState.api.get<MachineOee>(`/api/factory/machines/${this.machine}/oee`, { period: "day", date: day });
      return answer.results[0] ?? null;
    }
    return this.rangeResult(day, day);
  }

  private async rangeResult(from: string, to: string): Promise<OeeResult | null> {
    if (this.machine) {
      const site = this.machine.split("/", 1)[0]!;
      const answer = await hubState.api.get<Rollup>("/api/factory/oee/rollup", { site, from, to });
      return answer.machines.find((m) => m.scope === this.machine) ?? null;
    }
    try {
      return (await hubState.api.get<Rollup>("/api/factory/oee/rollup", { site: this.site, from, to })).rollup;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  render(): TemplateResult {
    const scope = this.machine || this.site;
    const total = this.total;
    return html`
      <div class="toolbar" role="group" aria-label="Trend range">
        ${RANGES.map(
          (days) => html`<button aria-pressed=${this.days === days ? "true" : "false"} @click=${() => (this.days = days)}>
            ${days} d
          </button>`,
        )}
        ${this.loading ? html`<span class="muted" role="status">Loading…</span>` : ""}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.data ? html`<fh-oee-trend-chart .data=${this.data} label=${scope}></fh-oee-trend-chart>` : ""}
      ${this.data && this.data.oee.every((v) => v === null)
        ? html`<p class="muted">No readings in the last ${this.days} days.</p>`
        : ""}
      ${total
        ? html`<dl class="summary" aria-label="Sum over ${this.days} days">
            <div><dt>OEE, ${this.days} d</dt><dd data-testid="trend-oee">${percent(total.oee)}</dd></div>
            <div><dt>Availability</dt><dd>${percent(total.availability)}</dd></div>
            <div><dt>Performance</dt><dd>${percent(total.performance)}</dd></div>
            <div><dt>Quality</dt><dd>${percent(total.quality)}</dd></div>
            <div><dt>Parts</dt><dd>${total.total_count}</dd></div>
            <div><dt>Rejects</dt><dd>${total.reject_count}</dd></div>
            <div><dt>Data completeness</dt><dd>${percent(total.data_completeness)}</dd></div>
          </dl>`
        : ""}
    `;
  }
}
