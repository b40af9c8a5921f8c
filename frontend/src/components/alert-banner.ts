import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Alert } from "../api/types";
import { hubState } from "../store/hub-state";

/** On every page: unacknowledged critical alerts, linking to the alert list. */
@customElement("fh-alert-banner")
export class AlertBanner extends LitElement {
  static styles = css`
    a {
      display: inline-flex;
      gap: 0.4rem;
      align-items: center;
      background: var(--fh-crit);
      color: #fff;
      padding: 0.3rem 0.75rem;
      border-radius: 6px;
      font-weight: 600;
      text-decoration: none;
    }
    a:focus-visible {
      outline: 3px solid var(--fh-focus);
    }
  `;

  @state() private critical: Alert[] = [];
  private unlisten: (() => void) | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.alerts.listen(() => {
      this.critical = hubState.alerts.unackedCritical();
    });
    this.critical = hubState.alerts.unackedCritical();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
  }

  render(): TemplateResult | typeof nothing {
    if (!this.critical.length) return nothing;
    const first = this.critical[0]!;
    const more = this.critical.length > 1 ? ` (+${this.critical.length - 1})` : "";
    return html`<a href="/alerts" role="alert" data-testid="critical-banner"
      >⚠ ${first.name}${more}: unacknowledged critical alert</a
    >`;
  }
}
