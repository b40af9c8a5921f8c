import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { TokenInfo } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

/** Long-lived tokens: the user's own; admins see everyone's. */
@customElement("fh-tokens-admin")
export class TokensAdmin extends LitElement {
  static styles = sharedStyles;

  @state() private tokens: TokenInfo[] = [];
  @state() private created = "";
  @state() private error = "";

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.tokens = await hubState.api.get<TokenInfo[]>("/api/auth/long_lived_tokens", { all: hubState.can("admin") });
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const name = String(new FormData(formElement).get("name"));
    try {
      const answer = await hubState.api.post<TokenInfo & { token: string }>("/api/auth/long_lived_tokens", { name });
      this.created = answer.token;
      formElement.reset();
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async revoke(token: TokenInfo): Promise<void> {
    if (!confirm(`Revoke the token ${token.name}? Scripts using it stop working at once.`)) return;
    try {
      await hubState.api.delete(`/api/auth/long_lived_tokens/${encodeURIComponent(token.id)}`);
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.created
        ? html`<div class="card" role="status"><p>Copy the new token now; it is not shown again:</p><code style="word-break:break-all">${this.created}</code></div>`
        : ""}
      ${this.tokens.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th>Name</th><th>User</th><th>Created</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>${this.tokens.map((t) => html`<tr><td>${t.name}</td><td>${t.user}</td><td>${dateTime(t.created_at)}</td><td><button @click=${() => void this.revoke(t)}>Revoke</button></td></tr>`)}</tbody>
          </table></div>`
        : html`<p class="muted">No long-lived tokens.</p>`}
      <form class="toolbar" style="margin-top:.75rem" @submit=${this.create} aria-label="Create a token">
        <input name="name" required placeholder="Token name, e.g. grafana" aria-label="Token name" />
        <button type="submit">Create token</button>
      </form>
    `;
  }
}
