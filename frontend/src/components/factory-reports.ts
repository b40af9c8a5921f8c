import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { REPORT_FORMATS, REPORT_KINDS, type ReportFormat, type ReportKind } from "../api/factory";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText, saveBlob } from "../util/download";

/** Weekly, monthly and compliance report downloads for a site or a machine. */
@customElement("fh-factory-reports")
export class FactoryReports extends LitElement {
  static styles = [
    sharedStyles,
    css`
      td {
        white-space: nowrap;
      }
      td button {
        margin-right: 0.3rem;
      }
    `,
  ];

  @property() site = "";
  @property() machine = "";
  @state() private busy = "";
  @state() private error = "";
  @state() private saved = "";

  private async download(kind: ReportKind, format: ReportFormat): Promise<void> {
    this.busy = `${kind}-${format}`;
    this.error = "";
    try {
      const query = this.machine ? { machine: this.machine, format } : { site: this.site, format };
      const { blob, filename } = await hubState.api.file(`/api/factory/reports/${kind}`, query);
      const name = filename ?? `${kind}-${(this.machine || this.site).replace(/\//g, "_")}.${format}`;
      saveBlob(blob, name);
      this.saved = `Saved ${name}.`;
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = "";
    }
  }

  render(): TemplateResult {
    const scope = this.machine || this.site;
    return html`<div class="table-wrap">
        <table>
          <caption class="visually-hidden">Reports for ${scope}</caption>
          <thead><tr><th>Report</th><th>Download</th></tr></thead>
          <tbody>
            ${REPORT_KINDS.map(
              (kind) => html`<tr>
                <td>${kind[0]!.toUpperCase()}${kind.slice(1)}</td>
                <td>
                  ${REPORT_FORMATS.map(
                    (format) => html`<button
                      ?disabled=${this.busy !== ""}
                      aria-label="Download ${kind} report as ${format.toUpperCase()}"
                      @click=${() => void this.download(kind, format)}
                    >
                      ${this.busy === `${kind}-${format}` ? "…" : format.toUpperCase()}
                    </button>`,
                  )}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted" role="status">${this.saved}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}`;
  }
}
