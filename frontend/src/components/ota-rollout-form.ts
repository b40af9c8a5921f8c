import { LitElement, css, html, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { FirmwareImage, Rollout, RolloutSpec } from "../api/ota";
import { hubState } from "../store/hub-state";
import { sharedStyles } from "../styles";
import { errorText } from "../util/download";
import { shareOrCount } from "../util/ota";

/** Start a rollout of an image to a share of its model's devices; fires `created`. */
@customElement("fh-ota-rollout-form")
export class OtaRolloutForm extends LitElement {
  static styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: 0.6rem;
        align-items: end;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        font-size: 0.9rem;
      }
      label.check {
        flex-direction: row;
        align-items: center;
      }
      .wide {
        grid-column: 1 / -1;
      }
    `,
  ];

  @property({ attribute: false }) images: FirmwareImage[] = [];
  @state() private error = "";
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string): string => String(data.get(name) ?? "").trim();
    const groups = text("groups")
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (groups.some((g) => !Number.isFinite(g) || g <= 0 || g > 100)) {
      this.error = "Groups are shares of the targets between 1 and 100, for example 50, 100.";
      return;
    }
    const spec: RolloutSpec = {
      image_id: text("image_id"),
      ...(text("name") ? { name: text("name") } : {}),
      target: { percentage: Number(text("percentage")), ...(text("area") ? { area: text("area") } : {}) },
      canary: shareOrCount(text("canary") || "0"),
      groups: groups.length ? groups : [100],
      success_threshold: Number(text("success_threshold")),
      error_threshold: shareOrCount(text("error_threshold") || "1"),
      error_action: text("error_action") === "abort" ? "abort" : "pause",
      manual_gate: data.get("manual_gate") === "on",
      soak: Number(text("soak") || "0"),
    };
    this.busy = true;
    try {
      const rollout = await hubState.api.post<Rollout>("/api/ota/rollouts", spec);
      this.error = "";
      form.reset();
      this.dispatchEvent(new CustomEvent("created", { detail: rollout }));
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  render(): TemplateResult {
    if (!this.images.length) return html`<p class="muted">Upload an image to start a rollout.</p>`;
    return html`<details class="card">
      <summary>Start a rollout</summary>
      <form @submit=${this.submit} aria-label="Start a rollout">
        <label class="wide">Image (its model is the target)
          <select name="image_id" required>
            ${this.images.map((i) => html`<option value=${i.id}>${i.model} ${i.version}</option>`)}
          </select>
        </label>
        <label>Name<input name="name" maxlength="100" placeholder="optional" /></label>
        <label>Devices of the model (%)<input name="percentage" type="number" min="1" max="100" step="any" value="100" required /></label>
        <label>Area<input name="area" placeholder="all areas" /></label>
        <label>Canary (count or %)<input name="canary" value="10%" pattern="\\d+(\\.\\d+)?%?" /></label>
        <label>Groups (% of targets)<input name="groups" value="50, 100" /></label>
        <label>Success threshold (%)<input name="success_threshold" type="number" min="0" max="100" value="100" required /></label>
        <label>Error threshold (count or %)<input name="error_threshold" value="20%" pattern="\\d+(\\.\\d+)?%?" /></label>
        <label>On errors
          <select name="error_action"><option value="pause">pause</option><option value="abort">abort</option></select>
        </label>
        <label>Soak between groups (s)<input name="soak" type="number" min="0" value="0" /></label>
        <label class="check"><input name="manual_gate" type="checkbox" /> Approve each group by hand</label>
        <div><button class="primary" type="submit" ?disabled=${this.busy}>Start rollout</button></div>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ""}
    </details>`;
  }
}
