import { LitElement, html, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";

interface OpenApi {
  paths: Record<string, Record<string, { summary?: string; "x-fieldhub-role"?: string }>>;
}

interface Section {
  path: string;
  summary: string;
  data: unknown;
}

function rows(data: unknown): Record<string, unknown>[] | null {
  const list = Array.isArray(data)
    ? data
    : data && typeof data === "object"
      ? Object.values(data).find(Array.isArray)
      : null;
  if (!list || !list.every((item) => item && typeof item === "object" && !Array.isArray(item))) return null;
  return list as Record<string, unknown>[];
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * An integration's panel: the data of its read-only routes (GET routes under
 * `/api/<integration>/` without path parameters), shown as tables.
 */
@customElement("fh-panel-page")
export class PanelPage extends LitElement {
  static styles = sharedStyles;

  @property() panelId = "";
  @state() private sections: Section[] = [];
  @state() private error = "";

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("panelId")) void this.load();
  }

  private async load(): Promise<void> {
    const panel = hubState.panels.find((p) => p.panel_id === this.panelId);
    if (!panel) {
      if (!hubState.panels.length) await hubState.loadPanels();
      if (!hubState.panels.some((p) => p.panel_id === this.panelId)) {
        this.error = `No panel '${this.panelId}'.`;
        return;
      }
    }
    const integration = hubState.panels.find((p) => p.panel_id === this.panelId)!.integration;
    try {
      const spec = await hubState.api.get<OpenApi>("/api/openapi.json");
      const prefix = `/api/${integration}/`;
      const paths = Object.entries(spec.paths).filter(([path, ops]) => path.startsWith(prefix) && !path.includes("{") && ops.get);
      this.sections = await Promise.all(
        paths.map(async ([path, ops]) => ({
          path,
          summary: ops.get?.summary ?? path,
          data: await hubState.api.get<unknown>(path).catch((err: Error) => ({ error: err.message })),
        })),
      );
      this.error = "";
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private section(section: Section): TemplateResult {
    const table = rows(section.data);
    let body: TemplateResult;
    if (table && table.length) {
      const columns = [...new Set(table.flatMap((row) => Object.keys(row)))].slice(0, 8);
      body = html`<div class="table-wrap"><table>
        <thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
        <tbody>${table.map((row) => html`<tr>${columns.map((c) => html`<td>${cell(row[c])}</td>`)}</tr>`)}</tbody>
      </table></div>`;
    } else if (table) {
      body = html`<p class="muted">Nothing to show.</p>`;
    } else {
      body = html`<pre>${JSON.stringify(section.data, null, 2)}</pre>`;
    }
    return html`<section><h2>${section.summary}</h2>${body}</section>`;
  }

  render(): TemplateResult {
    const panel = hubState.panels.find((p) => p.panel_id === this.panelId);
    return html`
      <h1>${panel?.title ?? this.panelId}</h1>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.sections.length ? this.sections.map((s) => this.section(s)) : html`<p class="muted">${this.error ? "" : "Loading…"}</p>`}
    `;
  }
}
