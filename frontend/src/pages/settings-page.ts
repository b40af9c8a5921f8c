import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import "../components/tokens-admin";
import "../components/users-admin";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";

interface HubConfig {
  name?: string;
  site_id?: string;
  time_zone?: string;
  version?: string;
  [key: string]: unknown;
}

@customElement("fh-settings-page")
export class SettingsPage extends LitElement {
  static styles = sharedStyles;

  @state() private config: HubConfig | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    void hubState.api.get<HubConfig>("/api/config").then((c) => (this.config = c)).catch(() => {});
  }

  render(): TemplateResult {
    const c = this.config;
    return html`
      <h1>Settings</h1>
      <section class="card">
        <h2 style="margin-top:0">Hub</h2>
        ${c
          ? html`<table><tbody>
              <tr><th>Name</th><td>${c.name ?? "—"}</td></tr>
              <tr><th>Site</th><td>${c.site_id ?? "—"}</td></tr>
              <tr><th>Time zone</th><td>${c.time_zone ?? "—"}</td></tr>
              <tr><th>Version</th><td>${c.version ?? "—"}</td></tr>
              <tr><th>Signed in as</th><td>${hubState.user?.name} (${hubState.user?.role})</td></tr>
            </tbody></table>`
          : html`<p class="muted">Loading…</p>`}
      </section>
      ${hubState.can("admin") ? html`<h2>Users</h2><fh-users-admin></fh-users-admin>` : ""}
      <h2>Long-lived tokens</h2>
      <fh-tokens-admin></fh-tokens-admin>
    `;
  }
}
