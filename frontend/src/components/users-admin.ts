import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { User } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

/** Admins: list, add and remove users. */
@customElement("fh-users-admin")
export class UsersAdmin extends LitElement {
  static styles = sharedStyles;

  @state() private users: User[] = [];
  @state() private error = "";

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.users = await hubState.api.get<User[]>("/api/users");
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    try {
      await hubState.api.post("/api/users", {
        name: String(form.get("name")),
        role: String(form.get("role")),
        password: String(form.get("password")),
      });
      formElement.reset();
      this.error = "";
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async removeUser(user: User): Promise<void> {
    if (!confirm(`Remove user ${user.name}? Their sessions and tokens end at once.`)) return;
    try {
      await hubState.api.delete(`/api/users/${encodeURIComponent(user.name)}`);
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    return html`
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      <div class="table-wrap"><table>
        <thead><tr><th>Name</th><th>Role</th><th>Sites</th><th>Created</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${this.users.map(
            (u) => html`<tr>
              <td>${u.name}</td><td>${u.role}</td><td>${u.sites.join(", ") || "all"}</td><td>${dateTime(u.created_at)}</td>
              <td>${u.name !== hubState.user?.name ? html`<button @click=${() => void this.removeUser(u)}>Remove</button>` : ""}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>
      <form class="toolbar" style="margin-top:.75rem" @submit=${this.add} aria-label="Add a user">
        <input name="name" required placeholder="User name" aria-label="User name" />
        <select name="role" aria-label="Role"><option>viewer</option><option>operator</option><option>admin</option></select>
        <input name="password" type="password" required minlength="8" placeholder="Password (8+ characters)" aria-label="Password" autocomplete="new-password" />
        <button type="submit">Add user</button>
      </form>
    `;
  }
}
