import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { EntityState } from "../api/types";
import type { TrendPoint } from "../store/entities";
import {
  cardKind,
  formatNumber,
  formatState,
  friendlyName,
  isUnavailable,
  numericValue,
  relativeTime,
  unitOf,
} from "../util/format";
import "./gauge-view";
import "./sparkline-view";

/** One entity on the overview; a link to its page. */
@customElement("fh-entity-card")
export class EntityCard extends LitElement {
  static styles = css`
    a {
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
      min-height: 6.5rem;
      padding: 0.7rem 0.8rem;
      border-radius: 10px;
      border: 1px solid var(--fh-border);
      background: var(--fh-surface);
      color: var(--fh-text);
      text-decoration: none;
      box-sizing: border-box;
      height: 100%;
    }
    a:hover {
      border-color: var(--fh-accent);
    }
    a:focus-visible {
      outline: 3px solid var(--fh-focus);
      outline-offset: 2px;
    }
    .name {
      font-size: 0.85rem;
      color: var(--fh-muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .value {
      font-size: 1.45rem;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .when {
      font-size: 0.75rem;
      color: var(--fh-muted);
      margin-top: auto;
    }
    .unavailable {
      border-style: dashed;
      background: repeating-linear-gradient(
        -45deg,
        var(--fh-surface),
        var(--fh-surface) 8px,
        var(--fh-surface-2) 8px,
        var(--fh-surface-2) 16px
      );
    }
    .unavailable .value {
      color: var(--fh-unavailable);
      font-size: 1.05rem;
    }
    .on {
      color: var(--fh-ok);
    }
    .off {
      color: var(--fh-muted);
    }
  `;

  @property({ attribute: false }) entity!: EntityState;
  @property({ attribute: false }) trend: readonly TrendPoint[] = [];

  private body(): TemplateResult {
    const entity = this.entity;
    if (isUnavailable(entity)) return html`<span class="value">⊘ Unavailable</span>`;
    const kind = cardKind(entity);
    if (kind === "gauge") {
      const value = numericValue(entity);
      const label = value === null ? entity.state : `${formatNumber(value)} ${unitOf(entity)}`;
      return html`<fh-gauge .value=${value} .label=${label}></fh-gauge>`;
    }
    if (kind === "binary") {
      return html`<span class="value ${entity.state}">${entity.state}</span>`;
    }
    if (kind === "trend") {
      return html`<span class="value">${formatState(entity)}</span>
        <fh-sparkline .points=${this.trend} .revision=${entity.last_updated}></fh-sparkline>`;
    }
    return html`<span class="value">${formatState(entity)}</span>`;
  }

  render(): TemplateResult {
    const entity = this.entity;
    const unavailable = isUnavailable(entity);
    return html`<a
      href="/entity/${entity.entity_id}"
      class=${unavailable ? "unavailable" : ""}
      data-entity=${entity.entity_id}
      data-state=${entity.state}
      aria-label="${friendlyName(entity)}: ${unavailable ? "unavailable" : formatState(entity)}"
    >
      <span class="name" title=${entity.entity_id}>${friendlyName(entity)}</span>
      ${this.body()}
      <span class="when">${relativeTime(entity.last_changed)}</span>
    </a>`;
  }
}
