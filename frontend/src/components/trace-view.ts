import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Trace } from "../api/types";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

function stepKind(path: string): string {
  return path.split("/", 1)[0] ?? path;
}

/** One automation run, step by step. */
@customElement("fh-trace-view")
export class TraceView extends LitElement {
  static styles = [
    sharedStyles,
    css`
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
        border-left: 3px solid var(--fh-border);
      }
      li {
        position: relative;
        padding: 0.3rem 0 0.6rem 1rem;
      }
      li::before {
        content: "";
        position: absolute;
        left: -0.5rem;
        top: 0.55rem;
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: var(--fh-accent);
      }
      li.failed::before {
        background: var(--fh-crit);
      }
      li.condition::before {
        background: var(--fh-warn);
      }
      pre {
        margin: 0.2rem 0 0;
        font-size: 0.8rem;
        white-space: pre-wrap;
        word-break: break-word;
        background: var(--fh-surface-2);
        padding: 0.3rem 0.5rem;
        border-radius: 6px;
      }
    `,
  ];

  @property({ attribute: false }) trace!: Trace;

  render(): TemplateResult {
    const trace = this.trace;
    const steps = trace.steps ?? [];
    return html`
      <p>
        Started ${dateTime(trace.started)} by <strong>${trace.trigger}</strong>;
        ${trace.state === "running" ? "still running" : html`finished: <strong>${trace.script_execution ?? "done"}</strong>`}
        ${trace.error ? html`<span class="error">— ${trace.error}</span>` : ""}
      </p>
      <ol aria-label="Steps">
        ${steps.map(
          (step, index) => html`<li class="${stepKind(step.path)} ${step.error ? "failed" : ""}" data-step=${step.path}>
            <strong>${index + 1}. ${step.path}</strong>
            <span class="muted">${step.duration !== null ? `${(step.duration * 1000).toFixed(0)} ms` : "running"}</span>
            ${step.error ? html`<div class="error">${step.error}</div>` : ""}
            ${Object.keys(step.result).length ? html`<pre>${JSON.stringify(step.result, null, 2)}</pre>` : ""}
          </li>`,
        )}
      </ol>
    `;
  }
}
