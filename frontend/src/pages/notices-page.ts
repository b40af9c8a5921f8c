import { LitElement, html, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Notice } from "../api/types";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

@customElement("fh-notices-page")
export class NoticesPage extends LitElement {
  static styles = sharedStyles;

  @state() private notices: Notice[] = [];
  @state() private error = "";
  @state() private loaded = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.notices = await hubState.api.get<Notice[]>("/api/notices");
      this.error = "";
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loaded = true;
    }
  }

  private async dismiss(notice: Notice): Promise<void> {
    try {
      await hubState.api.delete(`/api/notices/${encodeURIComponent(notice.id)}`);
      this.notices = this.notices.filter((n) => n.id !== notice.id);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  render(): TemplateResult {
    const operator = hubState.can("operator");
    return html`
      <h1>Notifications</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.notices.length
        ? this.notices.map(
            (n) => html`<article class="card" style="margin-bottom:.6rem" data-notice=${n.id}>
              <h2 style="margin-top:0">${n.title}</h2>
              <p style="white-space:pre-wrap">${n.message}</p>
              <div class="toolbar" style="margin:0">
                <span class="muted">${dateTime(n.created_at)}${n.source ? ` · ${n.source}` : ""}</span>
                ${operator ? html`<button @click=${() => void this.dismiss(n)}>Dismiss</button>` : ""}
              </div>
            </article>`,
          )
        : html`<p class="muted">${this.loaded ? "Nothing new." : "Loading…"}</p>`}
    `;
  }
}
