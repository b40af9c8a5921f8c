import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ApiError } from "../api/client";
import type { AuditEntry, FirmwareImage, OtaDevice, Rollout } from "../api/ota";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import type { OtaRolloutRow } from "../components/ota-rollout-row";
import "../components/ota-images";
import "../components/ota-rollout-form";
import "../components/ota-rollout-row";
import "../components/ota-audit";

const OPEN = new Set(["running", "soaking", "waiting_approval", "paused"]);
/** Reload interval while a rollout is open, and otherwise. */
const FAST_MS = 3_000;
const SLOW_MS = 30_000;

/** Firmware images, rollouts with their devices' progress, device versions and the audit log. */
@customElement("fh-ota-page")
export class OtaPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .rollouts {
        display: grid;
        gap: 0.75rem;
        margin-top: 0.75rem;
      }
    `,
  ];

  @state() private images: FirmwareImage[] = [];
  @state() private rollouts: Rollout[] = [];
  @state() private devices: OtaDevice[] = [];
  @state() private audit: AuditEntry[] = [];
  @state() private loaded = false;
  @state() private notSetUp = false;
  @state() private error = "";
  private timer: number | undefined;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    window.clearTimeout(this.timer);
    const api = hubState.api;
    try {
      const [images, rollouts, devices, audit] = await Promise.all([
        api.get<FirmwareImage[]>("/api/ota/images"),
        api.get<Rollout[]>("/api/ota/rollouts"),
        api.get<OtaDevice[]>("/api/ota/devices"),
        hubState.can("operator") ? api.get<AuditEntry[]>("/api/ota/audit", { limit: 100 }) : Promise.resolve([]),
      ]);
      this.images = images;
      this.rollouts = rollouts;
      this.devices = devices;
      this.audit = audit;
      this.error = "";
      await this.updateComplete;
      await Promise.all([...this.renderRoot.querySelectorAll<OtaRolloutRow>("fh-ota-rollout-row")].map((row) => row.reload()));
    } catch (err) {
      this.notSetUp = err instanceof ApiError && err.status === 503;
      this.error = errorText(err);
    } finally {
      this.loaded = true;
    }
    if (this.isConnected && !this.notSetUp) {
      const open = this.rollouts.some((r) => OPEN.has(r.status));
      this.timer = window.setTimeout(() => void this.load(), open ? FAST_MS : SLOW_MS);
    }
  }

  private devicesTable(): TemplateResult {
    if (!this.devices.length) return html`<p class="muted">No devices of a configured model.</p>`;
    return html`<div class="table-wrap"><table>
      <thead><tr><th>Device</th><th>Model</th><th>Installed</th><th>Latest</th><th>Online</th><th>Update</th></tr></thead>
      <tbody>${this.devices.map(
        (d) => html`<tr>
          <td>${d.name}</td><td>${d.model}</td><td>${d.installed_version ?? "—"}</td><td>${d.latest_version ?? "—"}</td>
          <td>${d.online === null ? "—" : d.online ? html`<span class="ok">online</span>` : html`<span class="bad">offline</span>`}</td>
          <td>${d.record ? `${d.record.state} ${d.record.progress} % → ${d.record.target_version}` : "—"}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
  }

  render(): TemplateResult {
    if (this.notSetUp) {
      return html`<h1>Firmware</h1>
        <p class="muted">Firmware updates are not set up on this hub: add an <code>ota:</code> section with publisher
          keys and models to the configuration.</p>`;
    }
    const models = [...new Set([...this.devices.map((d) => d.model), ...this.images.map((i) => i.model)])].sort();
    const imageOf = (id: string): FirmwareImage | undefined => this.images.find((i) => i.id === id);
    return html`
      <h1>Firmware</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${!this.loaded ? html`<p class="muted">Loading…</p>` : ""}
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">Images</h2>
        <fh-ota-images .images=${this.images} .models=${models} @changed=${() => void this.load()}></fh-ota-images>
      </section>
      <section aria-labelledby="rollouts-heading">
        <h2 id="rollouts-heading">Rollouts</h2>
        ${hubState.can("operator")
          ? html`<fh-ota-rollout-form .images=${this.images} @created=${() => void this.load()}></fh-ota-rollout-form>`
          : ""}
        <div class="rollouts" @changed=${() => void this.load()}>
          ${this.rollouts.length
            ? this.rollouts.map((r) => html`<fh-ota-rollout-row .rollout=${r} .image=${imageOf(r.image_id)}></fh-ota-rollout-row>`)
            : html`<p class="muted">No rollouts yet.</p>`}
        </div>
      </section>
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Devices</h2>
        ${this.devicesTable()}
      </section>
      ${hubState.can("operator")
        ? html`<section aria-labelledby="audit-heading">
            <h2 id="audit-heading">Audit log</h2>
            <fh-ota-audit .entries=${this.audit}></fh-ota-audit>
          </section>`
        : ""}
    `;
  }
}
