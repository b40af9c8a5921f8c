import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { ConnectionStatus } from "../api/socket";
import { hubState } from "../store/hub-state";

const LABEL: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  signed_out: "Signed out",
};

@customElement("fh-connection-badge")
export class ConnectionBadge extends LitElement {
  static styles = css`
    span {
      font-size: 0.8rem;
      padding: 0.1rem 0.55rem;
      border-radius: 999px;
      border: 1px solid var(--fh-border);
      color: var(--fh-muted);
    }
    span.connected {
      color: var(--fh-ok);
      border-color: var(--fh-ok);
    }
    span.reconnecting {
      color: var(--fh-warn);
      border-color: var(--fh-warn);
      animation: pulse 1.2s infinite;
    }
    @keyframes pulse {
      50% {
        opacity: 0.4;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      span.reconnecting {
        animation: none;
      }
    }
  `;

  @state() private status: ConnectionStatus = hubState.status;
  private readonly onStatus = (): void => {
    this.status = hubState.status;
  };

  connectedCallback(): void {
    super.connectedCallback();
    hubState.addEventListener("status", this.onStatus);
    this.status = hubState.status;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    hubState.removeEventListener("status", this.onStatus);
  }

  render(): TemplateResult {
    return html`<span class=${this.status} role="status" data-testid="connection" data-status=${this.status}
      >${LABEL[this.status]}</span
    >`;
  }
}
