import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { OeeResult } from "../api/factory";
import { sharedStyles } from "../styles";
import { percent } from "../util/factory";

const FACTORS: ["availability" | "performance" | "quality", string][] = [
  ["availability", "A"],
  ["performance", "P"],
  ["quality", "Q"],
];

/** One OEE figure with its availability, performance and quality as bars. */
@customElement("fh-oee-bars")
export class OeeBars extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.5rem;
      }
      .oee {
        font-size: 1.5rem;
        font-weight: 700;
        white-space: nowrap;
      }
      .head .muted {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        min-width: 0;
      }
      .row {
        display: grid;
        grid-template-columns: 1.2rem 1fr 4.2rem;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.85rem;
      }
      .track {
        height: 0.55rem;
        background: var(--fh-surface-2);
        border-radius: 999px;
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: var(--fh-accent);
      }
      .value {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property() label = "";
  @property({ attribute: false }) result: OeeResult | null = null;

  render(): TemplateResult {
    const result = this.result;
    return html`<div class="head">
        <span class="muted">${this.label}</span>
        <span class="oee" data-testid="oee-${this.label.toLowerCase().replace(/\s+/g, "-")}">${percent(result?.oee)}</span>
      </div>
      ${FACTORS.map(([key, letter]) => {
        const value = result?.[key] ?? null;
        const width = value === null ? 0 : Math.max(0, Math.min(100, value * 100));
        return html`<div class="row" role="img" aria-label="${this.label} ${key} ${percent(value)}">
          <abbr title=${key}>${letter}</abbr>
          <div class="track"><div class="fill" style="width:${width}%"></div></div>
          <span class="value">${percent(value)}</span>
        </div>`;
      })}`;
  }
}
