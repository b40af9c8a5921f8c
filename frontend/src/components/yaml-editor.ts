import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import { sharedStyles } from "../styles";

export interface EditorError {
  line: number | null;
  message: string;
}

/** A YAML text area with line numbers and errors shown under the lines they name. */
@customElement("fh-yaml-editor")
export class YamlEditor extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .wrap {
        display: grid;
        grid-template-columns: auto 1fr;
        border: 1px solid var(--fh-border);
        border-radius: 6px;
        background: var(--fh-surface);
        font-family: ui-monospace, "SFMono-Regular", Menlo, monospace;
        font-size: 0.9rem;
        line-height: 1.4;
      }
      .lines {
        padding: 0.5rem 0.4rem;
        text-align: right;
        color: var(--fh-muted);
        background: var(--fh-surface-2);
        user-select: none;
        white-space: pre;
      }
      .lines .bad {
        color: var(--fh-crit);
        font-weight: 700;
      }
      textarea {
        border: none;
        border-radius: 0;
        resize: vertical;
        min-height: 18rem;
        font: inherit;
        line-height: inherit;
        padding: 0.5rem;
        white-space: pre;
        overflow-x: auto;
      }
      textarea[readonly] {
        background: var(--fh-surface);
      }
      ul {
        margin: 0.5rem 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  @property() value = "";
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) errors: EditorError[] = [];

  render(): TemplateResult {
    const count = Math.max(1, this.value.split("\n").length);
    const bad = new Set(this.errors.map((e) => e.line).filter((l): l is number => l !== null));
    return html`
      <div class="wrap">
        <div class="lines" aria-hidden="true">${Array.from({ length: count }, (_, i) => html`<div class=${bad.has(i + 1) ? "bad" : ""}>${i + 1}</div>`)}</div>
        <textarea
          aria-label="Automation YAML"
          aria-invalid=${this.errors.length ? "true" : "false"}
          aria-describedby="errors"
          spellcheck="false"
          rows=${Math.min(40, count + 1)}
          ?readonly=${this.readonly}
          .value=${this.value}
          @input=${(e: Event) => {
            this.value = (e.target as HTMLTextAreaElement).value;
            this.dispatchEvent(new CustomEvent("change-text", { detail: this.value }));
          }}
        ></textarea>
      </div>
      <ul id="errors" class="error" role="alert" data-testid="yaml-errors">
        ${this.errors.map((e) => html`<li>${e.line !== null ? `line ${e.line}: ` : ""}${e.message}</li>`)}
      </ul>
    `;
  }
}
