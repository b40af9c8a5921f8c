import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import { sharedStyles } from "../styles";

/** A modal question with Cancel and a confirm button; resolves `ask()` with the answer. */
@customElement("fh-confirm-dialog")
export class ConfirmDialog extends LitElement {
  static styles = [
    sharedStyles,
    css`
      dialog {
        background: var(--fh-surface);
        color: var(--fh-text);
        border: 1px solid var(--fh-border);
        border-radius: 10px;
        max-width: min(28rem, 90vw);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 0.5rem;
        margin-top: 1rem;
      }
    `,
  ];

  @property() heading = "";
  @property() message = "";
  @property() confirmLabel = "Confirm";
  @query("dialog") private dialog!: HTMLDialogElement;
  private resolve: ((ok: boolean) => void) | null = null;

  ask(heading: string, message: string, confirmLabel = "Confirm"): Promise<boolean> {
    this.heading = heading;
    this.message = message;
    this.confirmLabel = confirmLabel;
    return this.updateComplete.then(
      () =>
        new Promise<boolean>((resolve) => {
          this.resolve = resolve;
          this.dialog.showModal();
        }),
    );
  }

  private finish(ok: boolean): void {
    this.dialog.close();
    this.resolve?.(ok);
    this.resolve = null;
  }

  render(): TemplateResult {
    return html`<dialog aria-labelledby="h" @cancel=${() => this.finish(false)}>
      <h2 id="h">${this.heading}</h2>
      <p>${this.message}</p>
      <div class="actions">
        <button @click=${() => this.finish(false)} autofocus>Cancel</button>
        <button class="danger" @click=${() => this.finish(true)}>${this.confirmLabel}</button>
      </div>
    </dialog>`;
  }
}
