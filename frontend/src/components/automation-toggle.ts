import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { AutomationSummary } from "../api/types";
import { hubState } from "../store/hub-state";

/** An on/off switch that enables or disables an automation; fires `changed` with the summary. */
@customElement("fh-automation-toggle")
export class AutomationToggle extends LitElement {
  static styles = css`
    button {
      width: 3rem;
      height: 1.6rem;
      border-radius: 999px;
      border: 1px solid var(--fh-border);
      background: var(--fh-surface-2);
      position: relative;
      cursor: pointer;
      padding: 0;
    }
    button::after {
      content: "";
      position: absolute;
      top: 0.15rem;
      left: 0.15rem;
      width: 1.2rem;
      height: 1.2rem;
      border-radius: 50%;
      background: var(--fh-muted);
      transition: left 0.15s;
    }
    button[aria-checked="true"] {
      background: var(--fh-accent);
    }
    button[aria-checked="true"]::after {
      left: 1.6rem;
      background: var(--fh-accent-text);
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button:focus-visible {
      outline: 3px solid var(--fh-focus);
      outline-offset: 2px;
    }
  `;

  @property({ attribute: false }) automation!: AutomationSummary;
  @property({ type: Boolean }) disabled = false;
  @state() private busy = false;

  private async toggle(): Promise<void> {
    this.busy = true;
    const verb = this.automation.state === "on" ? "disable" : "enable";
    try {
      const updated = await hubState.api.post<AutomationSummary>(
        `/api/automations/${encodeURIComponent(this.automation.id)}/${verb}`,
      );
      this.dispatchEvent(new CustomEvent("changed", { detail: updated }));
    } finally {
      this.busy = false;
    }
  }

  render(): TemplateResult {
    return html`<button
      role="switch"
      aria-checked=${this.automation.state === "on" ? "true" : "false"}
      aria-label="Enable ${this.automation.alias}"
      ?disabled=${this.disabled || this.busy}
      @click=${() => void this.toggle()}
    ></button>`;
  }
}
