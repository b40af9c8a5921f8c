import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { Device } from "../api/types";
import type { ConfirmDialog } from "../components/confirm-dialog";
import "../components/confirm-dialog";
import "../components/discovered-nodes";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { deviceHealth, entitiesByDevice, identifierText } from "../util/devices";

@customElement("fh-devices-page")
export class DevicesPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .online {
        color: var(--fh-ok);
      }
      .offline {
        color: var(--fh-crit);
      }
    `,
  ];

  @state() private error = "";
  @query("fh-confirm-dialog") private confirm!: ConfirmDialog;
  private unlisten: (() => void) | null = null;
  private readonly refresh = (): void => this.requestUpdate();

  connectedCallback(): void {
    super.connectedCallback();
    hubState.addEventListener("devices", this.refresh);
    this.unlisten = hubState.entities.changes.listen(this.refresh);
    void hubState.loadDevices();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    hubState.removeEventListener("devices", this.refresh);
    this.unlisten?.();
  }

  private async removeDevice(device: Device): Promise<void> {
    const ok = await this.confirm.ask(
      `Remove ${device.name}?`,
      "Its entities and credentials are deleted and the device is disconnected at once. It has to be paired again to come back.",
      "Remove device",
    );
    if (!ok) return;
    try {
      await hubState.api.delete(`/api/devices/${encodeURIComponent(device.id)}`);
      this.error = "";
      await hubState.loadDevices();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    const byDevice = entitiesByDevice(hubState.entities.states.values());
    const admin = hubState.can("admin");
    return html`
      <h1>Devices</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${hubState.devices.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Name</th><th>Status</th><th>Model</th><th>Firmware</th><th>Identifiers</th><th>Area</th><th>Entities</th>${admin ? html`<th><span class="visually-hidden">Actions</span></th>` : ""}</tr></thead>
            <tbody>
              ${hubState.devices.map((device) => {
                const entities = byDevice.get(device.id) ?? [];
                const health = deviceHealth(entities);
                return html`<tr data-device=${device.id}>
                  <td>${device.name}<div class="muted">${device.integration}</div></td>
                  <td class=${health}>${health === "online" ? "● online" : health === "offline" ? "○ offline" : "unknown"}</td>
                  <td>${[device.manufacturer, device.model].filter(Boolean).join(" ") || "—"}</td>
                  <td>${device.sw_version ?? "—"}</td>
                  <td><code>${identifierText(device)}</code></td>
                  <td>${device.area ?? "—"}</td>
                  <td>${entities.length
                    ? entities.map((e) => html`<div><a href="/entity/${e.entity_id}">${e.entity_id}</a></div>`)
                    : html`<span class="muted">none</span>`}</td>
                  ${admin ? html`<td><button class="danger" @click=${() => void this.removeDevice(device)}>Remove</button></td>` : ""}
                </tr>`;
              })}
            </tbody>
          </table></div>`
        : html`<p class="muted">No devices registered.</p>`}
      <h2>Discovered</h2>
      <fh-discovered-nodes></fh-discovered-nodes>
      <fh-confirm-dialog></fh-confirm-dialog>
    `;
  }
}
