import { LitElement, css, html, svg, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { TrendPoint } from "../store/entities";

/** A small trend line of recent values. */
@customElement("fh-sparkline")
export class SparklineView extends LitElement {
  static styles = css`
    svg {
      width: 100%;
      height: 2rem;
      display: block;
    }
    polyline {
      fill: none;
      stroke: var(--fh-accent);
      stroke-width: 1.5;
      vector-effect: non-scaling-stroke;
    }
  `;

  @property({ attribute: false }) points: readonly TrendPoint[] = [];
  /** Bumped by the owner when `points` changed in place. */
  @property({ type: Number }) revision = 0;

  render(): TemplateResult {
    const points = this.points;
    if (points.length < 2) return html`<svg viewBox="0 0 100 20" aria-hidden="true"></svg>`;
    const t0 = points[0]![0];
    const t1 = points[points.length - 1]![0];
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, v] of points) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const dt = t1 - t0 || 1;
    const dv = hi - lo || 1;
    const coords = points
      .map(([t, v]) => `${(((t - t0) / dt) * 100).toFixed(1)},${(18 - ((v - lo) / dv) * 16).toFixed(1)}`)
      .join(" ");
    return html`<svg viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true">
      ${svg`<polyline points=${coords}></polyline>`}
    </svg>`;
  }
}
