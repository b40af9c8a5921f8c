import { AuthStore } from "../api/auth";
import { ApiClient } from "../api/client";
import { HubSocket, type ConnectionStatus } from "../api/socket";
import type { Alert, Device, Panel, RestState, Role, User } from "../api/types";
import { AlertStore } from "./alerts";
import { EntityStore, type EntitiesMessage } from "./entities";

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

interface AlertChanged {
  data: { alert?: Alert };
}

/** Everything the pages share: the session, the REST client, the socket and live stores. */
export class HubState extends EventTarget {
  readonly auth = new AuthStore();
  readonly api = new ApiClient(this.auth, () => this.signedOut());
  readonly socket = new HubSocket(
    () => this.auth.token(),
    () => this.auth.expire(),
  );
  readonly entities = new EntityStore();
  readonly alerts = new AlertStore();
  devices: Device[] = [];
  panels: Panel[] = [];
  user: User | null = null;
  private unsubscribers: (() => void)[] = [];

  get status(): ConnectionStatus {
    return this.socket.status;
  }

  can(role: Role): boolean {
    return this.user !== null && RANK[this.user.role] >= RANK[role];
  }

  private changed(what: string): void {
    this.dispatchEvent(new Event(what));
  }

  /** Resume a remembered session; false when a login is needed. */
  async resume(): Promise<boolean> {
    const session = await this.auth.restore();
    if (!session) return false;
    this.start(session.user);
    return true;
  }

  async login(username: string, password: string): Promise<void> {
    const session = await this.auth.login(username, password);
    this.start(session.user);
  }

  async logout(): Promise<void> {
    this.stop();
    await this.auth.logout();
    this.user = null;
    this.changed("user");
  }

  private signedOut(): void {
    if (!this.user) return;
    this.stop();
    this.user = null;
    this.changed("user");
  }

  private start(user: User): void {
    this.user = user;
    this.changed("user");
    const socket = this.socket;
    this.unsubscribers = [
      socket.onStatus((status) => {
        this.changed("status");
        if (status === "connected") void this.refreshLists();
      }),
      socket.subscribe({ type: "subscribe_entities" }, (event, first) =>
        this.entities.apply(event as EntitiesMessage, first),
      ),
      socket.subscribe({ type: "subscribe_events", event_type: "alert_changed" }, (event) => {
        const alert = (event as AlertChanged).data.alert;
        if (alert) this.alerts.update(alert);
      }),
      socket.subscribe({ type: "subscribe_events", event_type: "device_registered" }, () =>
        void this.loadDevices(),
      ),
      socket.subscribe({ type: "subscribe_events", event_type: "device_removed" }, () =>
        void this.loadDevices(),
      ),
    ];
    socket.connect();
    if (!this.entities.loaded) {
      void this.api
        .get<RestState[]>("/api/states")
        .then((states) => {
          if (!this.entities.loaded) this.entities.replace(states);
        })
        .catch(() => {});
    }
    void this.loadPanels();
  }

  private stop(): void {
    // Closing first: the subscriptions end with the socket, no unsubscribe messages needed.
    this.socket.close();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
  }

  private async refreshLists(): Promise<void> {
    await Promise.all([this.loadAlerts(), this.loadDevices()]);
  }

  async loadAlerts(): Promise<void> {
    try {
      this.alerts.replace(await this.api.get<Alert[]>("/api/alerts"));
    } catch {
      this.alerts.replace([]);
    }
  }

  async loadDevices(): Promise<void> {
    try {
      this.devices = await this.api.get<Device[]>("/api/devices");
      this.changed("devices");
    } catch {
      /* keep the last list */
    }
  }

  async loadPanels(): Promise<void> {
    try {
      this.panels = await this.api.get<Panel[]>("/api/panels");
      this.changed("panels");
    } catch {
      this.panels = [];
    }
  }
}

export const hubState = new HubState();
