import { LitElement, css, html, unsafeCSS, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import uPlot from "uplot";
import uplotCss from "uplot/dist/uPlot.min.css?inline";
import type { TrendData } from "../util/factory";

function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/** Daily OEE with availability, performance and quality (percent), drawn with uPlot. */
@customElement("fh-oee-trend-chart")
export class OeeTrendChart extends LitElement {
  static styles = [
    unsafeCSS(uplotCss),
    css`
      :host {
        display: block;
      }
      .plot {
        width: 100%;
        min-height: 260px;
      }
      .u-legend {
        color: var(--fh-text);
      }
    `,
  ];

  @property({ attribute: false }) data: TrendData = { t: [], oee: [], availability: [], performance: [], quality: [] };
  @property() label = "";
  @query(".plot") private container!: HTMLDivElement;
  private plot: uPlot | null = null;
  private resizer: ResizeObserver | null = null;

  render(): TemplateResult {
    return html`<div class="plot" role="img" aria-label="Daily OEE trend of ${this.label}"></div>`;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.resizer = new ResizeObserver(() => {
      if (this.plot && this.container) this.plot.setSize(this.size());
    });
    this.resizer.observe(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has("data")) this.draw();
  }

  private size(): { width: number; height: number } {
    const width = Math.max(260, this.container.clientWidth);
    return { width, height: Math.min(360, Math.max(220, Math.round(width * 0.35))) };
  }

  private draw(): void {
    if (!this.container) return;
    this.plot?.destroy();
    const text = cssVar(this, "--fh-muted", "#5d6b7a");
    const grid = cssVar(this, "--fh-border", "#d5dbe1");
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const show = (_u: uPlot, v: number | null): string => (v === null ? "—" : `${v} %`);
    const line = (label: string, stroke: string, width: number, dash?: number[]): uPlot.Series => ({
      label,
      stroke,
      width,
      dash,
      spanGaps: false,
      points: { show: true, size: width * 3 },
      value: show,
    });
    const opts: uPlot.Options = {
      ...this.size(),
      series: [
        {},
        line("OEE", cssVar(this, "--fh-accent", "#1f5fbf"), 3),
        line("Availability", cssVar(this, "--fh-ok", "#1e7d3a"), 1.5, [6, 3]),
        line("Performance", cssVar(this, "--fh-warn", "#a35c00"), 1.5, [2, 3]),
        line("Quality", cssVar(this, "--fh-info", "#285f9e"), 1.5, [8, 3, 2, 3]),
      ],
      scales: { y: { range: [0, 100] } },
      axes: [axis, { ...axis, label: "%", labelGap: 0, size: 50 }],
      cursor: { drag: { x: false, y: false } },
    };
    const d = this.data;
    this.plot = new uPlot(opts, [d.t, d.oee, d.availability, d.performance, d.quality], this.container);
  }
}
