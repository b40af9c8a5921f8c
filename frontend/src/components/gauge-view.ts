import { LitElement, css, html, svg, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";

/** A half-circle gauge from `min` to `max`. */
@customElement("fh-gauge")
export class GaugeView extends LitElement {
  static styles = css`
    svg {
      width: 100%;
      max-width: 9rem;
      display: block;
      margin: 0 auto;
    }
    .track {
      stroke: var(--fh-surface-2);
    }
    .value {
      stroke: var(--fh-accent);
    }
    .low {
      stroke: var(--fh-warn);
    }
    text {
      fill: var(--fh-text);
      font-size: 15px;
      font-weight: 600;
    }
  `;

  @property({ type: Number }) value: number | null = null;
  @property({ type: Number }) min = 0;
  @property({ type: Number }) max = 100;
  @property() label = "";

  render(): TemplateResult {
    const span = this.max - this.min || 1;
    const ratio = this.value === null ? 0 : Math.min(1, Math.max(0, (this.value - this.min) / span));
    const length = Math.PI * 40;
    return html`<svg viewBox="0 0 100 58" role="meter" aria-valuemin=${this.min} aria-valuemax=${this.max}
      aria-valuenow=${this.value ?? this.min} aria-label=${this.label}>
      ${svg`<path class="track" d="M10 50 A40 40 0 0 1 90 50" fill="none" stroke-width="10" stroke-linecap="round"/>
      <path class="value ${ratio < 0.15 ? "low" : ""}" d="M10 50 A40 40 0 0 1 90 50" fill="none" stroke-width="10"
        stroke-linecap="round" stroke-dasharray="${length * ratio} ${length}"/>
      <text x="50" y="48" text-anchor="middle">${this.label}</text>`}
    </svg>`;
  }
}
