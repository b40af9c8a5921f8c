import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { DiscoveredNode } from "../api/types";
import { ApiError } from "../api/client";
import { hubState } from "../store/hub-state";

const NOT_SET_UP = "Tank node discovery is not set up on this hub: add a tank_node: section to the configuration.";

function describe(err: unknown): string {
  if (err instanceof ApiError && (err.status === 503 || err.status === 404)) return NOT_SET_UP;
  return err instanceof Error ? err.message : String(err);
}
import { sharedStyles } from "../styles";

/** Tank nodes advertising on the network, a scan button and the pairing form. */
@customElement("fh-discovered-nodes")
export class DiscoveredNodes extends LitElement {
  static styles = [
    sharedStyles,
    css`
      dialog {
        background: var(--fh-surface);
        color: var(--fh-text);
        border: 1px solid var(--fh-border);
        border-radius: 10px;
        width: min(30rem, 92vw);
      }
      form {
        display: grid;
        gap: 0.6rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
      }
      .row {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.6rem;
      }
    `,
  ];

  @state() private nodes: DiscoveredNode[] = [];
  @state() private message = "";
  @state() private scanning = false;
  @state() private available = true;
  @state() private pairing: DiscoveredNode | null = null;
  @state() private pairError = "";
  @query("dialog") private dialog!: HTMLDialogElement;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.nodes = (await hubState.api.get<{ nodes: DiscoveredNode[] }>("/api/tank_node/discovered")).nodes;
      this.message = "";
      this.available = true;
    } catch (err) {
      this.message = describe(err);
      this.available = this.message !== NOT_SET_UP;
    }
  }

  private async scan(): Promise<void> {
    this.scanning = true;
    try {
      this.nodes = (await hubState.api.post<{ nodes: DiscoveredNode[] }>("/api/setup/scan", { seconds: 3 })).nodes;
      this.message = "";
    } catch (err) {
      this.message = describe(err);
    } finally {
      this.scanning = false;
    }
  }

  private async openPair(node: DiscoveredNode): Promise<void> {
    this.pairing = node;
    this.pairError = "";
    await this.updateComplete;
    this.dialog.showModal();
  }

  private async pair(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const node = this.pairing;
    if (!node) return;
    const form = new FormData(event.target as HTMLFormElement);
    const num = (name: string): number => Number(form.get(name));
    try {
      await hubState.api.post("/api/tank_node/pair", {
        host: node.host,
        port: node.port ?? 80,
        mac: node.mac,
        name: String(form.get("name")),
        tank: {
          shape: "vertical_cylinder",
          diameter_mm: num("diameter_mm"),
          height_mm: num("height_mm"),
          blind_zone_mm: num("blind_zone_mm"),
        },
      });
      this.dialog.close();
      this.pairing = null;
      await Promise.all([this.load(), hubState.loadDevices()]);
    } catch (err) {
      this.pairError = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    const canPair = hubState.can("operator");
    return html`
      <div class="toolbar">
        ${canPair && this.available ? html`<button @click=${() => void this.scan()} ?disabled=${this.scanning}>${this.scanning ? "Scanning…" : "Scan the network"}</button>` : ""}
        ${this.message ? html`<span class="muted">${this.message}</span>` : ""}
      </div>
      ${this.nodes.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Node</th><th>Address</th><th>MAC</th><th>Status</th><th></th></tr></thead>
            <tbody>
              ${this.nodes.map(
                (node) => html`<tr>
                  <td>${node.name ?? "tank node"}</td>
                  <td>${node.host}:${node.port ?? 80}</td>
                  <td><code>${node.mac}</code></td>
                  <td>${node.status.replace("_", " ")}</td>
                  <td>${canPair && node.status === "unpaired" ? html`<button @click=${() => void this.openPair(node)}>Pair…</button>` : ""}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        : this.available
          ? html`<p class="muted">No unpaired devices found.</p>`
          : ""}
      <dialog aria-label="Pair a tank node">
        <form @submit=${this.pair}>
          <h2>Pair ${this.pairing?.mac ?? ""}</h2>
          <label>Name <input name="name" required value=${this.pairing?.name ?? "Tank"} /></label>
          <div class="row">
            <label>Diameter (mm) <input name="diameter_mm" type="number" min="1" required value="1200" /></label>
            <label>Height (mm) <input name="height_mm" type="number" min="1" required value="1500" /></label>
          </div>
          <label>Blind zone (mm) <input name="blind_zone_mm" type="number" min="0" value="230" /></label>
          ${this.pairError ? html`<p class="error" role="alert">${this.pairError}</p>` : ""}
          <div class="toolbar">
            <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
            <button class="primary" type="submit">Pair</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
