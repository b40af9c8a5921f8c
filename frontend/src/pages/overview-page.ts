import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { fetchHistory } from "../api/history";
import type { Device, EntityState } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { deviceHealth, entitiesByDevice, type DeviceHealth } from "../util/devices";
import { cardKind, domainOf, friendlyName, isUnavailable } from "../util/format";
import "../components/entity-card";

interface DeviceGroup {
  key: string;
  title: string;
  health: DeviceHealth | null;
  entityIds: string[];
}

interface AreaGroup {
  key: string;
  title: string;
  devices: DeviceGroup[];
}

type Grouping = "area" | "domain" | "none";

const byName = (a: EntityState, b: EntityState): number => friendlyName(a).localeCompare(friendlyName(b));

@customElement("fh-overview-page")
export class OverviewPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
        gap: 0.6rem;
      }
      section.area > h2 {
        border-bottom: 1px solid var(--fh-border);
        padding-bottom: 0.3rem;
      }
      .device h3 {
        font-size: 0.95rem;
        margin: 0.9rem 0 0.4rem;
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .offline {
        color: var(--fh-crit);
      }
      .online {
        color: var(--fh-ok);
      }
      input[type="search"] {
        min-width: 14rem;
        flex: 1;
        max-width: 24rem;
      }
      @media (min-width: 1600px) {
        .grid {
          grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        }
      }
    `,
  ];

  @state() private query = "";
  @state() private domain = "";
  @state() private onlyUnavailable = false;
  @state() private grouping: Grouping = (localStorage.getItem("fieldhub.grouping") as Grouping) ?? "area";
  @state() private tick = 0;
  private groups: AreaGroup[] = [];
  private groupsKey = "";
  private unlisten: (() => void) | null = null;
  private timer: number | undefined;
  private seeded = false;
  private readonly onDevices = (): void => {
    this.groupsKey = "";
    this.requestUpdate();
  };

  connectedCallback(): void {
    super.connectedCallback();
    this.unlisten = hubState.entities.changes.listen(() => {
      this.tick++;
      if (!this.seeded && hubState.entities.loaded) this.seedTrends();
    });
    hubState.addEventListener("devices", this.onDevices);
    this.timer = window.setInterval(() => this.tick++, 30_000);
    if (hubState.entities.loaded) this.seedTrends();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    hubState.removeEventListener("devices", this.onDevices);
    window.clearInterval(this.timer);
  }

  protected firstUpdated(): void {
    performance.mark("fieldhub:overview-rendered");
  }

  protected updated(): void {
    if (hubState.entities.states.size && !performance.getEntriesByName("fieldhub:overview-interactive").length) {
      performance.mark("fieldhub:overview-interactive");
      this.dispatchEvent(new CustomEvent("overview-interactive", { bubbles: true, composed: true }));
    }
  }

  /** Fill the sparklines with the last hour from the recorder, once, when the page is idle. */
  private seedTrends(): void {
    this.seeded = true;
    window.setTimeout(() => {
      const ids = [...hubState.entities.states.values()]
        .filter((e) => cardKind(e) === "trend")
        .map((e) => e.entity_id);
      if (!ids.length) return;
      const end = Date.now() / 1000;
      void fetchHistory(hubState.api, ids, end - 3600, end, 40)
        .then((history) => {
          for (const [entityId, points] of history) {
            hubState.entities.seedTrend(
              entityId,
              points.filter((p) => p.value !== null).map((p) => [p.t, p.value as number]),
            );
          }
        })
        .catch(() => {});
    }, 500);
  }

  private matchesFilter(entity: EntityState): boolean {
    if (this.domain && domainOf(entity.entity_id) !== this.domain) return false;
    if (this.onlyUnavailable && !isUnavailable(entity)) return false;
    if (!this.query) return true;
    const q = this.query.toLowerCase();
    return entity.entity_id.includes(q) || friendlyName(entity).toLowerCase().includes(q);
  }

  private buildGroups(): AreaGroup[] {
    const states = [...hubState.entities.states.values()].filter((e) => this.matchesFilter(e)).sort(byName);
    if (this.grouping === "none") {
      return [{ key: "all", title: "", devices: [{ key: "all", title: "", health: null, entityIds: states.map((e) => e.entity_id) }] }];
    }
    if (this.grouping === "domain") {
      const byDomain = new Map<string, string[]>();
      for (const e of states) {
        const d = domainOf(e.entity_id);
        byDomain.set(d, [...(byDomain.get(d) ?? []), e.entity_id]);
      }
      return [...byDomain.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([d, ids]) => ({ key: d, title: d, devices: [{ key: d, title: "", health: null, entityIds: ids }] }));
    }
    const devices = new Map<string, Device>(hubState.devices.map((d) => [d.id, d]));
    const allByDevice = entitiesByDevice(hubState.entities.states.values());
    const areas = new Map<string, Map<string, DeviceGroup>>();
    for (const entity of states) {
      const deviceId = entity.attributes.device_id;
      const device = typeof deviceId === "string" ? devices.get(deviceId) : undefined;
      const area = device?.area || (device ? "No area" : "Other entities");
      let groups = areas.get(area);
      if (!groups) {
        groups = new Map();
        areas.set(area, groups);
      }
      const key = device?.id ?? domainOf(entity.entity_id);
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          title: device ? device.name : domainOf(entity.entity_id),
          health: device ? deviceHealth(allByDevice.get(device.id)) : null,
          entityIds: [],
        };
        groups.set(key, group);
      }
      group.entityIds.push(entity.entity_id);
    }
    const rank = (title: string): number => (title === "Other entities" ? 2 : title === "No area" ? 1 : 0);
    return [...areas.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([title, groups]) => ({
        key: title,
        title,
        devices: [...groups.values()].sort((a, b) => a.title.localeCompare(b.title)),
      }));
  }

  protected willUpdate(): void {
    const store = hubState.entities;
    const key = [store.structureVersion, this.query, this.domain, this.onlyUnavailable, this.grouping, hubState.devices.length].join("|");
    // Health and the unavailable filter depend on values; rebuild on a slower cadence for those.
    if (key !== this.groupsKey || (this.onlyUnavailable || this.grouping === "area") && this.tick % 20 === 0) {
      this.groupsKey = key;
      this.groups = this.buildGroups();
    }
  }

  private domains(): string[] {
    const set = new Set<string>();
    for (const id of hubState.entities.states.keys()) set.add(domainOf(id));
    return [...set].sort();
  }

  private card(entityId: string): TemplateResult {
    const entity = hubState.entities.get(entityId);
    if (!entity) return html``;
    return html`<fh-entity-card .entity=${entity} .trend=${hubState.entities.trends.get(entityId) ?? []}></fh-entity-card>`;
  }

  private deviceGroup(group: DeviceGroup): TemplateResult {
    const grid = html`<div class="grid">${repeat(group.entityIds, (id) => id, (id) => this.card(id))}</div>`;
    if (!group.title) return grid;
    return html`<div class="device" data-device=${group.key}>
      <h3>
        ${group.title}
        ${group.health === "offline"
          ? html`<span class="badge offline" data-testid="device-offline">offline</span>`
          : group.health === "online"
            ? html`<span class="badge online">online</span>`
            : ""}
      </h3>
      ${grid}
    </div>`;
  }

  render(): TemplateResult {
    const store = hubState.entities;
    const shown = this.groups.reduce((n, a) => n + a.devices.reduce((m, d) => m + d.entityIds.length, 0), 0);
    return html`
      <h1>Overview</h1>
      <div class="toolbar" role="search">
        <input
          type="search"
          placeholder="Search entities"
          aria-label="Search entities"
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        />
        <select aria-label="Domain" @change=${(e: Event) => (this.domain = (e.target as HTMLSelectElement).value)}>
          <option value="">All domains</option>
          ${this.domains().map((d) => html`<option value=${d} ?selected=${d === this.domain}>${d}</option>`)}
        </select>
        <select
          aria-label="Group by"
          @change=${(e: Event) => {
            this.grouping = (e.target as HTMLSelectElement).value as Grouping;
            localStorage.setItem("fieldhub.grouping", this.grouping);
          }}
        >
          <option value="area" ?selected=${this.grouping === "area"}>By area and device</option>
          <option value="domain" ?selected=${this.grouping === "domain"}>By domain</option>
          <option value="none" ?selected=${this.grouping === "none"}>No grouping</option>
        </select>
        <label
          ><input
            type="checkbox"
            .checked=${this.onlyUnavailable}
            @change=${(e: Event) => (this.onlyUnavailable = (e.target as HTMLInputElement).checked)}
          />
          Only unavailable</label
        >
        <span class="muted" aria-live="polite">${shown} of ${store.states.size} entities</span>
      </div>
      ${!store.loaded ? html`<p class="muted">Loading…</p>` : ""}
      ${store.loaded && store.states.size === 0 ? html`<p class="muted">No entities yet.</p>` : ""}
      ${repeat(
        this.groups,
        (a) => a.key,
        (area) => html`<section class="area" aria-label=${area.title || "Entities"}>
          ${area.title ? html`<h2>${area.title}</h2>` : ""}
          ${repeat(area.devices, (d) => d.key, (d) => this.deviceGroup(d))}
        </section>`,
      )}
    `;
  }
}
