import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import { interceptLinks, parseRoute, type Route } from "../router";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import "./nav-bar";
import "./connection-badge";
import "./alert-banner";
import "../pages/login-page";
import "../pages/overview-page";
import "../pages/entity-page";
import "../pages/devices-page";
import "../pages/automations-page";
import "../pages/automation-page";
import "../pages/alerts-page";
import "../pages/notices-page";
import "../pages/logbook-page";
import "../pages/settings-page";
import "../pages/panel-page";

type Phase = "starting" | "login" | "ready";

@customElement("fh-app")
export class FhApp extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: 13rem 1fr;
        grid-template-rows: auto 1fr;
        min-height: 100vh;
        background: var(--fh-bg);
      }
      header {
        grid-column: 1 / -1;
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.5rem 0.75rem;
        padding: 0.5rem 1rem;
        background: var(--fh-surface);
        border-bottom: 1px solid var(--fh-border);
        position: sticky;
        top: 0;
        z-index: 5;
      }
      header .brand {
        font-weight: 700;
        font-size: 1.1rem;
        color: var(--fh-text);
        text-decoration: none;
      }
      header .spacer {
        flex: 1;
      }
      header button {
        white-space: nowrap;
      }
      fh-nav {
        border-right: 1px solid var(--fh-border);
        background: var(--fh-surface);
      }
      main {
        padding: 1rem 1.25rem 3rem;
        min-width: 0;
      }
      .menu {
        display: none;
      }
      .skip {
        position: absolute;
        left: -999px;
      }
      .skip:focus {
        left: 0.5rem;
        top: 0.5rem;
        z-index: 10;
      }
      @media (max-width: 760px) {
        :host {
          grid-template-columns: 1fr;
        }
        .menu {
          display: inline-flex;
        }
        fh-nav {
          display: none;
          border-right: none;
          border-bottom: 1px solid var(--fh-border);
        }
        fh-nav[open] {
          display: block;
        }
        .user-name {
          display: none;
        }
      }
      @media (min-width: 1600px) {
        :host {
          font-size: 1.15rem;
        }
      }
    `,
  ];

  @state() private phase: Phase = "starting";
  @state() private route: Route = parseRoute(location.pathname);
  @state() private menuOpen = false;
  @state() private theme = localStorage.getItem("fieldhub.theme") ?? "auto";

  connectedCallback(): void {
    super.connectedCallback();
    interceptLinks(document);
    window.addEventListener("popstate", () => {
      this.route = parseRoute(location.pathname);
      this.menuOpen = false;
    });
    hubState.addEventListener("user", () => {
      this.phase = hubState.user ? "ready" : "login";
    });
    this.applyTheme();
    void hubState
      .resume()
      .then((ok) => {
        this.phase = ok ? "ready" : "login";
      })
      .catch(() => {
        this.phase = "login";
      });
  }

  private applyTheme(): void {
    const dark =
      this.theme === "dark" ||
      (this.theme === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  }

  private cycleTheme(): void {
    const order = ["auto", "light", "dark"];
    this.theme = order[(order.indexOf(this.theme) + 1) % order.length]!;
    localStorage.setItem("fieldhub.theme", this.theme);
    this.applyTheme();
  }

  private page(): TemplateResult {
    const { page, param } = this.route;
    switch (page) {
      case "overview":
        return html`<fh-overview-page></fh-overview-page>`;
      case "entity":
        return html`<fh-entity-page .entityId=${param ?? ""}></fh-entity-page>`;
      case "devices":
        return html`<fh-devices-page></fh-devices-page>`;
      case "automations":
        return param
          ? html`<fh-automation-page .automationId=${param}></fh-automation-page>`
          : html`<fh-automations-page></fh-automations-page>`;
      case "alerts":
        return html`<fh-alerts-page></fh-alerts-page>`;
      case "notices":
        return html`<fh-notices-page></fh-notices-page>`;
      case "logbook":
        return html`<fh-logbook-page></fh-logbook-page>`;
      case "settings":
        return html`<fh-settings-page></fh-settings-page>`;
      case "panel":
        // Integration pages with their own UI load on first use.
        if (param === "factory") {
          void import("../pages/factory-page");
          return html`<fh-factory-page></fh-factory-page>`;
        }
        if (param === "ota") {
          void import("../pages/ota-page");
          return html`<fh-ota-page></fh-ota-page>`;
        }
        return html`<fh-panel-page .panelId=${param ?? ""}></fh-panel-page>`;
      default:
        return html`<h1>Page not found</h1>
          <p>There is no page at <code>${location.pathname}</code>. <a href="/">Go to the overview</a>.</p>`;
    }
  }

  render(): TemplateResult | typeof nothing {
    if (this.phase === "starting") return nothing;
    if (this.phase === "login") return html`<fh-login-page></fh-login-page>`;
    const user = hubState.user;
    return html`
      <a class="skip button" href="#main" @click=${this.skip}>Skip to content</a>
      <header>
        <button
          class="menu"
          aria-label="Menu"
          aria-expanded=${this.menuOpen ? "true" : "false"}
          @click=${() => (this.menuOpen = !this.menuOpen)}
        >
          ☰
        </button>
        <a class="brand" href="/">Fieldhub</a>
        <fh-connection-badge></fh-connection-badge>
        <span class="spacer"></span>
        <fh-alert-banner></fh-alert-banner>
        <button @click=${this.cycleTheme} aria-label="Theme: ${this.theme}" title="Theme: ${this.theme}">
          ${this.theme === "dark" ? "☾" : this.theme === "light" ? "☀" : "◐"}
        </button>
        <span class="user-name muted" data-testid="user">${user?.name} (${user?.role})</span>
        <button @click=${() => void hubState.logout()}>Log out</button>
      </header>
      <fh-nav ?open=${this.menuOpen} .current=${this.route.page}></fh-nav>
      <main id="main" tabindex="-1">${this.page()}</main>
    `;
  }

  private skip(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>("main")?.focus();
  }
}
