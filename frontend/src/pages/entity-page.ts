import { LitElement, css, html, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { fetchHistory, type HistoryPoint } from "../api/history";
import type { AutomationSummary, StatisticRow, Trace } from "../api/types";
import type { ChartSeries } from "../components/history-chart";
import "../components/history-chart";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime, domainOf, formatState, friendlyName, isUnavailable, unitOf } from "../util/format";
import { PRESETS, STATISTICS_AFTER, statisticsPeriod } from "../util/ranges";

const MAX_POINTS = 800;

@customElement("fh-entity-page")
export class EntityPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: baseline;
      }
      .big {
        font-size: 2rem;
        font-weight: 600;
      }
      .unavailable {
        color: var(--fh-unavailable);
      }
      button[aria-pressed="true"] {
        background: var(--fh-accent);
        color: var(--fh-accent-text);
      }
      .columns {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 1rem;
      }
      @media (max-width: 900px) {
        .columns {
          grid-template-columns: 1fr;
        }
      }
      code {
        word-break: break-all;
      }
    `,
  ];

  @property() entityId = "";
  @state() private start = Date.now() / 1000 - 86400;
  @state() private end = Date.now() / 1000;
  @state() private preset = "24h";
  @state() private series: ChartSeries | null = null;
  @state() private textHistory: HistoryPoint[] = [];
  @state() private source = "";
  @state() private loading = false;
  @state() private error = "";
  @state() private related: AutomationSummary[] = [];
  private unlisten: (() => void) | null = null;
  private loadToken = 0;

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.entities.changes.listen((changed) => {
      if (changed.has(this.entityId)) this.requestUpdate();
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("entityId")) {
      void this.load();
      void this.findRelated();
    }
  }

  private setPreset(id: string): void {
    const preset = PRESETS.find((p) => p.id === id)!;
    this.preset = id;
    this.end = Date.now() / 1000;
    this.start = this.end - preset.seconds;
    void this.load();
  }

  private zoom(start: number, end: number): void {
    this.preset = "";
    this.start = start;
    this.end = end;
    void this.load();
  }

  private pan(direction: -1 | 1): void {
    const span = this.end - this.start;
    const now = Date.now() / 1000;
    const end = Math.min(now, this.end + (direction * span) / 2);
    this.zoom(end - span, end);
  }

  private zoomOut(): void {
    const span = this.end - this.start;
    const now = Date.now() / 1000;
    const end = Math.min(now, this.end + span / 2);
    this.zoom(end - span * 2, end);
  }

  private async loadStatistics(): Promise<ChartSeries | null> {
    const period = statisticsPeriod(this.end - this.start);
    const answer = await hubState.api.get<{ statistics: StatisticRow[] }>(
      `/api/statistics/${encodeURIComponent(this.entityId)}`,
      {
        start: new Date(this.start * 1000).toISOString(),
        end: new Date(this.end * 1000).toISOString(),
        period,
      },
    );
    const rows = answer.statistics.filter((r) => r.mean !== null || r.state !== null);
    if (!rows.length) return null;
    this.source = `${period === "day" ? "Daily" : "Hourly"} statistics (mean, min, max)`;
    return {
      t: rows.map((r) => Date.parse(r.start) / 1000),
      value: rows.map((r) => r.mean ?? r.state),
      min: rows.map((r) => r.min),
      max: rows.map((r) => r.max),
    };
  }

  private async loadHistory(): Promise<ChartSeries | null> {
    const history = await fetchHistory(hubState.api, [this.entityId], this.start, this.end, MAX_POINTS);
    const points = history.get(this.entityId) ?? [];
    this.source = `Recorded history, at most ${MAX_POINTS} points`;
    const numeric = points.some((p) => p.value !== null);
    const binary = points.length > 0 && points.every((p) => p.state === "on" || p.state === "off" || p.state === "unavailable");
    this.textHistory = numeric ? [] : points;
    if (!numeric && !binary) return null;
    const t = points.map((p) => p.t);
    const value = points.map((p) => (binary ? (p.state === "on" ? 1 : p.state === "off" ? 0 : null) : p.value));
    // Carry the last value to the end of the range so the line reaches "now".
    if (points.length) {
      t.push(this.end);
      value.push(value[value.length - 1] ?? null);
    }
    return { t, value, stepped: binary };
  }

  private async load(): Promise<void> {
    if (!this.entityId) return;
    const token = ++this.loadToken;
    this.loading = true;
    this.error = "";
    try {
      let series: ChartSeries | null = null;
      if (this.end - this.start > STATISTICS_AFTER) series = await this.loadStatistics();
      if (!series) series = await this.loadHistory();
      if (token !== this.loadToken) return;
      this.series = series;
    } catch (err) {
      if (token === this.loadToken) this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (token === this.loadToken) this.loading = false;
    }
  }

  /** Automations whose configuration or recent runs name this entity. */
  private async findRelated(): Promise<void> {
    this.related = [];
    const entityId = this.entityId;
    try {
      const all = await hubState.api.get<AutomationSummary[]>("/api/automations");
      const found: AutomationSummary[] = [];
      await Promise.all(
        all.map(async (automation) => {
          const path = `/api/automations/${encodeURIComponent(automation.id)}`;
          const text = hubState.can("admin")
            ? JSON.stringify(await hubState.api.get<unknown>(`${path}/config`))
            : JSON.stringify(await hubState.api.get<Trace[]>(`${path}/traces`));
          if (text.includes(`"${entityId}"`) || text.includes(`${entityId}'`) || text.includes(`${entityId},`)) {
            found.push(automation);
          }
        }),
      );
      if (entityId === this.entityId) this.related = found.sort((a, b) => a.alias.localeCompare(b.alias));
    } catch {
      /* automations not running: nothing related */
    }
  }

  private async download(): Promise<void> {
    const blob = await hubState.api.blob(`/api/history/export/${encodeURIComponent(this.entityId)}.csv`, {
      start: new Date(this.start * 1000).toISOString(),
      end: new Date(this.end * 1000).toISOString(),
    });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${this.entityId}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private chart(): TemplateResult {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (this.series && this.series.t.length) {
      return html`<fh-history-chart
        .series=${this.series}
        .unit=${hubState.entities.get(this.entityId) ? unitOf(hubState.entities.get(this.entityId)!) : ""}
        .label=${this.entityId}
        .start=${this.start}
        .end=${this.end}
        @range-select=${(e: CustomEvent<{ start: number; end: number }>) => this.zoom(e.detail.start, e.detail.end)}
      ></fh-history-chart>
      <p class="muted">${this.source}. Drag across the chart to zoom in.</p>`;
    }
    if (this.textHistory.length) {
      return html`<div class="table-wrap"><table>
        <thead><tr><th>Since</th><th>State</th></tr></thead>
        <tbody>${[...this.textHistory].reverse().slice(0, 100).map((p) => html`<tr><td>${dateTime(p.t)}</td><td>${p.state}</td></tr>`)}</tbody>
      </table></div>`;
    }
    return html`<p class="muted">${this.loading ? "Loading history…" : "No history in this range."}</p>`;
  }

  render(): TemplateResult {
    const entity = hubState.entities.get(this.entityId);
    if (!entity) {
      return html`<h1>${this.entityId}</h1>
        <p class="muted">${hubState.entities.loaded ? "This entity does not exist (any more)." : "Loading…"}</p>`;
    }
    const unavailable = isUnavailable(entity);
    return html`
      <div class="head">
        <h1>${friendlyName(entity)}</h1>
        <span class="big ${unavailable ? "unavailable" : ""}" data-testid="entity-state">${unavailable ? "⊘ Unavailable" : formatState(entity)}</span>
        <code class="muted">${entity.entity_id}</code>
      </div>
      <section class="card" aria-label="History">
        <div class="toolbar" role="group" aria-label="Range">
          ${PRESETS.map(
            (p) => html`<button aria-pressed=${this.preset === p.id ? "true" : "false"} @click=${() => this.setPreset(p.id)}>${p.label}</button>`,
          )}
          <button @click=${() => this.pan(-1)} aria-label="Earlier">◀</button>
          <button @click=${() => this.pan(1)} aria-label="Later">▶</button>
          <button @click=${this.zoomOut}>Zoom out</button>
          <span class="muted">${dateTime(this.start)} – ${dateTime(this.end)}</span>
          <button @click=${() => void this.download()}>Download CSV</button>
        </div>
        ${this.chart()}
      </section>
      <div class="columns">
        <section>
          <h2>Attributes</h2>
          <div class="table-wrap"><table>
            <tbody>
              <tr><th>last changed</th><td>${dateTime(entity.last_changed)}</td></tr>
              <tr><th>last updated</th><td>${dateTime(entity.last_updated)}</td></tr>
              ${Object.entries(entity.attributes).map(
                ([key, value]) => html`<tr><th>${key}</th><td>${typeof value === "object" ? JSON.stringify(value) : String(value)}</td></tr>`,
              )}
            </tbody>
          </table></div>
        </section>
        <section>
          <h2>Related automations</h2>
          ${this.related.length
            ? html`<ul>${this.related.map((a) => html`<li><a href="/automations/${encodeURIComponent(a.id)}">${a.alias}</a> <span class="muted">(${a.state})</span></li>`)}</ul>`
            : html`<p class="muted">No automation refers to this entity.</p>`}
          ${domainOf(entity.entity_id) === "automation"
            ? html`<p><a href=${`/automations/${encodeURIComponent(String(entity.attributes.id ?? entity.entity_id.split(".")[1]))}`}>Open this automation</a></p>`
            : ""}
        </section>
      </div>
    `;
  }
}
