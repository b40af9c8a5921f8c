export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "signed_out";

/** `first` is true for the first event after (re)subscribing: a full snapshot where one is sent. */
type Handler = (event: unknown, first: boolean) => void;

interface Subscription {
  message: Record<string, unknown>;
  handler: Handler;
  id: number;
  fresh: boolean;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * The WebSocket API: authenticates, keeps subscriptions, reconnects with back-off and
 * subscribes again after the hub restarts.
 */
export class HubSocket {
  status: ConnectionStatus = "connecting";
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly subscriptions = new Set<Subscription>();
  private readonly pending = new Map<number, Pending>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private attempt = 0;
  private timer: number | undefined;
  private closed = false;

  constructor(
    private readonly token: () => Promise<string | null>,
    private readonly onAuthInvalid: () => void,
    private readonly url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/websocket`,
  ) {}

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  connect(): void {
    this.closed = false;
    this.open();
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
    this.subscriptions.clear();
    this.setStatus("signed_out");
  }

  private open(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onmessage = (message) => void this.receive(ws, message.data as string);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const pending of this.pending.values()) pending.reject(new Error("connection lost"));
      this.pending.clear();
      if (!this.closed) this.retry();
    };
  }

  private retry(): void {
    this.setStatus("reconnecting");
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = window.setTimeout(() => this.open(), delay);
  }

  private async receive(ws: WebSocket, raw: string): Promise<void> {
    const message = JSON.parse(raw) as Record<string, unknown>;
    switch (message.type) {
      case "auth_required": {
        const token = await this.token();
        if (!token) {
          this.close();
          return;
        }
        ws.send(JSON.stringify({ type: "auth", access_token: token }));
        return;
      }
      case "auth_ok":
        this.attempt = 0;
        this.nextId = 1;
        for (const subscription of this.subscriptions) this.sendSubscription(subscription);
        this.setStatus("connected");
        return;
      case "auth_invalid":
        this.onAuthInvalid();
        ws.close();
        return;
      case "event": {
        for (const subscription of this.subscriptions) {
          if (subscription.id !== message.id) continue;
          const first = subscription.fresh;
          subscription.fresh = false;
          subscription.handler(message.event, first);
        }
        return;
      }
      case "result":
      case "pong": {
        const pending = this.pending.get(message.id as number);
        if (!pending) return;
        this.pending.delete(message.id as number);
        if (message.type === "pong" || message.success) pending.resolve(message.result);
        else {
          const error = message.error as { message?: string } | undefined;
          pending.reject(new Error(error?.message ?? "command failed"));
        }
        return;
      }
      default:
        return;
    }
  }

  private sendSubscription(subscription: Subscription): void {
    subscription.id = this.nextId++;
    subscription.fresh = true;
    this.ws?.send(JSON.stringify({ ...subscription.message, id: subscription.id }));
  }

  /** Subscribe now and after every reconnect; returns the unsubscribe function. */
  subscribe(message: Record<string, unknown>, handler: Handler): () => void {
    const subscription: Subscription = { message, handler, id: -1, fresh: true };
    this.subscriptions.add(subscription);
    if (this.status === "connected" && this.ws?.readyState === WebSocket.OPEN) {
      this.sendSubscription(subscription);
    }
    return () => {
      this.subscriptions.delete(subscription);
      if (this.status === "connected" && subscription.id > 0) {
        void this.command({ type: "unsubscribe", subscription: subscription.id }).catch(() => {});
      }
    };
  }

  command<T>(message: Record<string, unknown>): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.status !== "connected") {
      return Promise.reject(new Error("not connected"));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      ws.send(JSON.stringify({ ...message, id }));
    });
  }
}
