import { css } from "lit";

/** Theme colours as custom properties on the document (they cross shadow roots). */
export const themeCss = `
:root {
  --fh-bg: #f4f6f8; --fh-surface: #ffffff; --fh-surface-2: #eef1f4; --fh-text: #1b2430;
  --fh-muted: #5d6b7a; --fh-border: #d5dbe1; --fh-accent: #1f5fbf; --fh-accent-text: #ffffff;
  --fh-ok: #1e7d3a; --fh-warn: #a35c00; --fh-crit: #b3261e; --fh-info: #285f9e;
  --fh-unavailable: #8a94a0; --fh-focus: #ffb000;
  color-scheme: light;
}
:root[data-theme="dark"] {
  --fh-bg: #14171b; --fh-surface: #1e2329; --fh-surface-2: #272d35; --fh-text: #e6eaef;
  --fh-muted: #9aa6b2; --fh-border: #38414b; --fh-accent: #6ea8ff; --fh-accent-text: #0b1320;
  --fh-ok: #5cc679; --fh-warn: #f0a640; --fh-crit: #ff6b61; --fh-info: #7db3f0;
  --fh-unavailable: #6c7580; --fh-focus: #ffc94d;
  color-scheme: dark;
}
html, body { background: var(--fh-bg); color: var(--fh-text); }
`;

/** Shared element styles for pages and components. */
export const sharedStyles = css`
  :host {
    color: var(--fh-text);
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  *:focus-visible {
    outline: 3px solid var(--fh-focus);
    outline-offset: 2px;
  }
  a {
    color: var(--fh-accent);
  }
  h1 {
    font-size: 1.4rem;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.5rem;
  }
  button,
  .button {
    font: inherit;
    border: 1px solid var(--fh-border);
    background: var(--fh-surface-2);
    color: var(--fh-text);
    border-radius: 6px;
    padding: 0.35rem 0.8rem;
    cursor: pointer;
    min-height: 2rem;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  button.primary {
    background: var(--fh-accent);
    color: var(--fh-accent-text);
    border-color: var(--fh-accent);
  }
  button.danger {
    background: var(--fh-crit);
    color: #fff;
    border-color: var(--fh-crit);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--fh-text);
    background: var(--fh-surface);
    border: 1px solid var(--fh-border);
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
  }
  .card {
    background: var(--fh-surface);
    border: 1px solid var(--fh-border);
    border-radius: 10px;
    padding: 0.8rem 1rem;
  }
  .muted {
    color: var(--fh-muted);
  }
  .error {
    color: var(--fh-crit);
    white-space: pre-wrap;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin-bottom: 1rem;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--fh-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--fh-muted);
    font-size: 0.85rem;
  }
  .table-wrap {
    overflow-x: auto;
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05rem 0.55rem;
    font-size: 0.8rem;
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .sev-critical {
    color: var(--fh-crit);
  }
  .sev-warning {
    color: var(--fh-warn);
  }
  .sev-info {
    color: var(--fh-info);
  }
  .ok {
    color: var(--fh-ok);
  }
  .bad {
    color: var(--fh-crit);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
