import { LitElement, html, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { AutomationSummary, Trace } from "../api/types";
import "../components/automation-toggle";
import "../components/trace-view";
import "../components/yaml-editor";
import type { EditorError } from "../components/yaml-editor";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { dateTime } from "../util/format";

/** Where a server message "… → key → 0: text" points in the editor: the first line with `key:`. */
export function lineOfMessage(text: string, message: string): number | null {
  const path = message.split(":").slice(0, -1).join(":").split("→").map((p) => p.trim());
  for (const key of path.reverse()) {
    if (!key || /^\d+$/.test(key) || key.includes(".yaml")) continue;
    const pattern = new RegExp(`^\\s*(-\\s*)?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`);
    const index = text.split("\n").findIndex((line) => pattern.test(line));
    if (index >= 0) return index + 1;
  }
  return null;
}

@customElement("fh-automation-page")
export class AutomationPage extends LitElement {
  static styles = sharedStyles;

  @property() automationId = "";
  @state() private summary: AutomationSummary | null = null;
  @state() private traces: Trace[] = [];
  @state() private selected = 0;
  @state() private yamlText = "";
  @state() private editing = false;
  @state() private errors: EditorError[] = [];
  @state() private message = "";
  @state() private error = "";

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("automationId")) void this.load();
  }

  private get path(): string {
    return `/api/automations/${encodeURIComponent(this.automationId)}`;
  }

  private async load(): Promise<void> {
    try {
      const [summary, traces] = await Promise.all([
        hubState.api.get<AutomationSummary>(this.path),
        hubState.api.get<Trace[]>(`${this.path}/traces`),
      ]);
      this.summary = summary;
      this.traces = traces;
      this.selected = 0;
      this.error = "";
      if (hubState.can("admin") && !this.editing) {
        const { stringify } = await import("yaml");
        this.yamlText = stringify(await hubState.api.get<unknown>(`${this.path}/config`));
      }
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private async save(): Promise<void> {
    const { parseDocument } = await import("yaml");
    const doc = parseDocument(this.yamlText, { prettyErrors: true });
    if (doc.errors.length) {
      this.errors = doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? null, message: e.message.split("\n")[0]! }));
      return;
    }
    const data = doc.toJS() as unknown;
    if (!data || typeof data !== "object" || Array.isArray(data)) {
      this.errors = [{ line: 1, message: "an automation is a mapping (keys such as alias, triggers, actions)" }];
      return;
    }
    try {
      this.summary = await hubState.api.put<AutomationSummary>(`${this.path}/config`, data);
      this.errors = [];
      this.editing = false;
      this.message = "Saved and reloaded.";
      await this.load();
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.errors = text
        .split("\n")
        .filter(Boolean)
        .map((message) => ({ line: lineOfMessage(this.yamlText, message), message }));
    }
  }

  private async run(): Promise<void> {
    try {
      await hubState.api.post(`${this.path}/trigger`, {});
      this.message = "Ran.";
      await this.load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  private config(): TemplateResult {
    if (!hubState.can("admin")) return html``;
    return html`<section>
      <h2>Configuration</h2>
      <div class="toolbar">
        ${this.editing
          ? html`<button class="primary" @click=${() => void this.save()}>Save</button>
              <button @click=${() => { this.editing = false; this.errors = []; void this.load(); }}>Cancel</button>`
          : html`<button @click=${() => (this.editing = true)}>Edit YAML</button>`}
      </div>
      <fh-yaml-editor
        .value=${this.yamlText}
        ?readonly=${!this.editing}
        .errors=${this.errors}
        @change-text=${(e: CustomEvent<string>) => (this.yamlText = e.detail)}
      ></fh-yaml-editor>
    </section>`;
  }

  private traceSection(): TemplateResult {
    if (!this.traces.length) return html`<h2>Runs</h2><p class="muted">No runs recorded yet.</p>`;
    const trace = this.traces[this.selected] ?? this.traces[0]!;
    return html`<section>
      <h2>Runs</h2>
      <div class="toolbar">
        <label>Run
          <select @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}>
            ${this.traces.map((t, i) => html`<option value=${i} ?selected=${i === this.selected}>${dateTime(t.started)} — ${t.script_execution ?? t.state}</option>`)}
          </select>
        </label>
      </div>
      <fh-trace-view .trace=${trace}></fh-trace-view>
    </section>`;
  }

  render(): TemplateResult {
    const a = this.summary;
    if (!a) return html`<h1>${this.automationId}</h1>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p class="muted">Loading…</p>`}`;
    const operator = hubState.can("operator");
    return html`
      <p><a href="/automations">← Automations</a></p>
      <h1>${a.alias}</h1>
      ${a.description ? html`<p>${a.description}</p>` : ""}
      <div class="toolbar">
        <fh-automation-toggle .automation=${a} ?disabled=${!operator} @changed=${(e: CustomEvent<AutomationSummary>) => (this.summary = e.detail)}></fh-automation-toggle>
        <span>${a.state === "on" ? "Enabled" : "Disabled"}</span>
        ${operator ? html`<button @click=${() => void this.run()}>Run now</button>` : ""}
        <span class="muted">Last triggered: ${a.last_triggered ? dateTime(a.last_triggered) : "never"} · mode ${a.mode}</span>
        <span role="status">${this.message}</span>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
      ${this.traceSection()} ${this.config()}
    `;
  }
}
