import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";

@customElement("fh-login-page")
export class LoginPage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100vh;
        background: var(--fh-bg);
      }
      form {
        display: grid;
        gap: 0.75rem;
        width: min(22rem, 90vw);
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-size: 0.9rem;
      }
    `,
  ];

  @state() private error = "";
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = "";
    try {
      await hubState.login(String(form.get("username")), String(form.get("password")));
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  render(): TemplateResult {
    return html`<form class="card" @submit=${this.submit} aria-labelledby="title">
      <h1 id="title">Fieldhub</h1>
      <label>User name <input name="username" autocomplete="username" required autofocus /></label>
      <label
        >Password <input name="password" type="password" autocomplete="current-password" required
      /></label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      <button class="primary" type="submit" ?disabled=${this.busy}>Log in</button>
    </form>`;
  }
}
