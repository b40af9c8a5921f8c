import { LitElement, css, html, unsafeCSS, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import uPlot from "uplot";
import uplotCss from "uplot/dist/uPlot.min.css?inline";

export interface ChartSeries {
  /** epoch seconds */
  t: number[];
  value: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
  stepped?: boolean;
}

function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/**
 * A time-series chart (uPlot). Drag across it to zoom in: it fires `range-select` with
 * `{start, end}` in epoch seconds; the owner loads that range and hands the data back.
 */
@customElement("fh-history-chart")
export class HistoryChart extends LitElement {
  static styles = [
    unsafeCSS(uplotCss),
    css`
      :host {
        display: block;
      }
      .plot {
        width: 100%;
        min-height: 300px;
      }
      .u-legend {
        color: var(--fh-text);
      }
    `,
  ];

  @property({ attribute: false }) series: ChartSeries = { t: [], value: [] };
  @property() unit = "";
  /** The range shown, epoch seconds (the data may cover less of it). */
  @property({ type: Number }) start = 0;
  @property({ type: Number }) end = 0;
  @property() label = "";
  @query(".plot") private container!: HTMLDivElement;
  private plot: uPlot | null = null;
  private resizer: ResizeObserver | null = null;

  render(): TemplateResult {
    return html`<div class="plot" role="img" aria-label="History chart of ${this.label}"></div>`;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has("series") || changed.has("unit") || changed.has("start")) this.draw();
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

  private size(): { width: number; height: number } {
    const width = Math.max(280, this.container.clientWidth);
    return { width, height: Math.min(420, Math.max(240, Math.round(width * 0.4))) };
  }

  private draw(): void {
    if (!this.container) return;
    this.plot?.destroy();
    const accent = cssVar(this, "--fh-accent", "#1f5fbf");
    const text = cssVar(this, "--fh-muted", "#5d6b7a");
    const grid = cssVar(this, "--fh-border", "#d5dbe1");
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const unit = this.unit;
    const seriesOpts: uPlot.Series[] = [
      {},
      {
        label: this.label || "value",
        stroke: accent,
        width: 2,
        spanGaps: false,
        paths: this.series.stepped ? uPlot.paths.stepped!({ align: 1 }) : undefined,
        value: (_u, v) => (v === null ? "—" : `${v}${unit ? ` ${unit}` : ""}`),
      },
    ];
    const data: uPlot.AlignedData = [this.series.t, this.series.value];
    if (this.series.min && this.series.max) {
      seriesOpts.push(
        { label: "min", stroke: accent, width: 1, dash: [4, 4] },
        { label: "max", stroke: accent, width: 1, dash: [4, 4] },
      );
      (data as (number | null)[][]).push(this.series.min, this.series.max);
    }
    const opts: uPlot.Options = {
      ...this.size(),
      series: seriesOpts,
      scales: this.end > this.start ? { x: { time: true, range: () => [this.start, this.end] } } : undefined,
      axes: [axis, { ...axis, label: unit || undefined, labelGap: 0, size: 60 }],
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const start = u.posToVal(u.select.left, "x");
            const end = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.dispatchEvent(new CustomEvent("range-select", { detail: { start, end } }));
          },
        ],
      },
    };
    this.plot = new uPlot(opts, data, this.container);
  }
}
