import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";

const LINKS: [string, string, string][] = [
  ["overview", "/", "Overview"],
  ["devices", "/devices", "Devices"],
  ["automations", "/automations", "Automations"],
  ["alerts", "/alerts", "Alerts"],
  ["notices", "/notices", "Notifications"],
  ["logbook", "/logbook", "Logbook"],
  ["settings", "/settings", "Settings"],
];

@customElement("fh-nav")
export class NavBar extends LitElement {
  static styles = [
    sharedStyles,
    css`
      nav {
        display: flex;
        flex-direction: column;
        padding: 0.5rem;
        gap: 0.15rem;
        position: sticky;
        top: 3.2rem;
      }
      a {
        color: var(--fh-text);
        text-decoration: none;
        padding: 0.55rem 0.75rem;
        border-radius: 6px;
      }
      a:hover {
        background: var(--fh-surface-2);
      }
      a[aria-current="page"] {
        background: var(--fh-accent);
        color: var(--fh-accent-text);
      }
      .count {
        float: right;
        font-size: 0.8rem;
      }
      hr {
        border: none;
        border-top: 1px solid var(--fh-border);
        width: 100%;
      }
    `,
  ];

  @property() current = "";
  @state() private active = 0;
  private unlisten: (() => void) | null = null;
  private readonly onPanels = (): void => this.requestUpdate();

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.alerts.listen(() => {
      this.active = hubState.alerts.active().length;
    });
    this.active = hubState.alerts.active().length;
    hubState.addEventListener("panels", this.onPanels);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    hubState.removeEventListener("panels", this.onPanels);
  }

  render(): TemplateResult {
    const panels = hubState.panels.filter((p) => hubState.can(p.role));
    return html`<nav aria-label="Main">
      ${LINKS.map(
        ([page, href, label]) =>
          html`<a href=${href} aria-current=${this.current === page ? "page" : "false"}
            >${label}${page === "alerts" && this.active
              ? html`<span class="count badge sev-warning" aria-label="${this.active} active">${this.active}</span>`
              : ""}</a
          >`,
      )}
      ${panels.length ? html`<hr />` : ""}
      ${panels.map(
        (panel) =>
          html`<a href="/panel/${panel.panel_id}" aria-current=${location.pathname === `/panel/${panel.panel_id}` ? "page" : "false"}
            >${panel.title}</a
          >`,
      )}
    </nav>`;
  }
}
