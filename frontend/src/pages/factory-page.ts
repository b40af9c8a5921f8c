import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { FactoryMachine } from "../api/factory";
import { ApiError } from "../api/client";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { groupMachines } from "../util/factory";
import "../components/factory-machine-card";
import "../components/factory-trend";
import "../components/factory-reports";
import "../components/factory-keys";

/** How often the OEE figures are reloaded (the hub refreshes them every minute). */
const REFRESH_MS = 60_000;

/**
 * Factory machines by site and area with their OEE and health; the trend and report
 * downloads of a chosen site or machine; ingest keys for admins.
 */
@customElement("fh-factory-page")
export class FactoryPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
        gap: 0.75rem;
      }
      h3 {
        font-size: 1rem;
        margin: 1rem 0 0.5rem;
        color: var(--fh-muted);
      }
      .detail {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
        gap: 1rem;
      }
      @media (max-width: 1100px) {
        .detail {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .detail h2 {
        margin-top: 0;
      }
      label select {
        margin-left: 0.4rem;
      }
    `,
  ];

  @state() private machines: FactoryMachine[] = [];
  @state() private loaded = false;
  @state() private error = "";
  @state() private notSetUp = false;
  /** "site:<id>" or "machine:<id>" */
  @state() private scope = "";
  @state() private refresh = 0;
  private timer: number | undefined;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = window.setInterval(() => void this.load(), REFRESH_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  private async load(): Promise<void> {
    try {
      this.machines = (await hubState.api.get<{ machines: FactoryMachine[] }>("/api/factory/machines")).machines;
      this.refresh++;
      this.error = "";
      if (!this.scope && this.machines.length) this.scope = `site:${groupMachines(this.machines)[0]!.site}`;
    } catch (err) {
      this.notSetUp = err instanceof ApiError && err.status === 503;
      this.error = errorText(err);
    } finally {
      this.loaded = true;
    }
  }

  private selectMachine(event: CustomEvent<string>): void {
    this.scope = `machine:${event.detail}`;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("#detail")?.focus());
  }

  private detail(): TemplateResult {
    const [kind, id = ""] = this.scope.split(/:(.*)/s);
    const machine = kind === "machine" ? this.machines.find((m) => m.id === id) : undefined;
    const site = machine ? machine.site : id;
    const timeZone = (machine ?? this.machines.find((m) => m.site === site))?.time_zone ?? "";
    const sites = groupMachines(this.machines);
    return html`<section class="card" id="detail" tabindex="-1" aria-labelledby="detail-heading">
      <div class="toolbar">
        <h2 id="detail-heading">${machine ? machine.name : `Site ${site}`}</h2>
        <label>Show
          <select aria-label="Site or machine" .value=${this.scope} @change=${(e: Event) => (this.scope = (e.target as HTMLSelectElement).value)}>
            ${sites.map(
              (s) => html`<option value="site:${s.site}" ?selected=${this.scope === `site:${s.site}`}>Site ${s.site}</option>
                ${s.areas.flatMap((a) =>
                  a.machines.map((m) => html`<option value="machine:${m.id}" ?selected=${this.scope === `machine:${m.id}`}>· ${m.id} (${m.name})</option>`),
                )}`,
            )}
          </select>
        </label>
      </div>
      <div class="detail">
        <div>
          <h3>OEE trend</h3>
          <fh-factory-trend .site=${site} .machine=${machine?.id ?? ""} .timeZone=${timeZone}></fh-factory-trend>
        </div>
        <div>
          <h3>Reports</h3>
          <fh-factory-reports .site=${site} .machine=${machine?.id ?? ""}></fh-factory-reports>
        </div>
      </div>
    </section>`;
  }

  render(): TemplateResult {
    if (this.notSetUp) {
      return html`<h1>Factory</h1>
        <p class="muted">Factory machines are not set up on this hub: add a <code>factory_machine:</code> section to
          the configuration (see the factory documentation).</p>`;
    }
    const sites = groupMachines(this.machines);
    return html`
      <h1>Factory</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${!this.loaded ? html`<p class="muted">Loading…</p>` : ""}
      ${this.loaded && !this.error && !this.machines.length ? html`<p class="muted">No machines in your sites.</p>` : ""}
      ${this.machines.length ? this.detail() : ""}
      ${sites.map(
        (site) => html`<section aria-labelledby="site-${site.site}">
          <h2 id="site-${site.site}">Site ${site.site}</h2>
          ${site.areas.map(
            (area) => html`<h3>Area ${area.area}</h3>
              <div class="grid" @select-machine=${this.selectMachine}>
                ${area.machines.map(
                  (m) => html`<fh-factory-machine-card
                    .machine=${m}
                    .refresh=${this.refresh}
                    ?selected=${this.scope === `machine:${m.id}`}
                  ></fh-factory-machine-card>`,
                )}
              </div>`,
          )}
        </section>`,
      )}
      ${hubState.can("admin") && this.machines.length
        ? html`<section aria-labelledby="keys-heading">
            <h2 id="keys-heading">Ingest keys</h2>
            <fh-factory-keys .machines=${this.machines}></fh-factory-keys>
          </section>`
        : ""}
    `;
  }
}
