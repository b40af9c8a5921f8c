export interface Route {
  page: string;
  param: string | null;
}

const PAGES = new Set([
  "overview",
  "entity",
  "devices",
  "automations",
  "alerts",
  "notices",
  "logbook",
  "settings",
  "panel",
]);

export function parseRoute(path: string): Route {
  const [first = "", ...rest] = path.replace(/^\/+/, "").split("/");
  const page = first === "" ? "overview" : first;
  if (!PAGES.has(page)) return { page: "not_found", param: null };
  const param = rest.length ? decodeURIComponent(rest.join("/")) : null;
  return { page, param };
}

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** Follow same-origin links without reloading the page. */
export function interceptLinks(root: Document): void {
  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event
      .composedPath()
      .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
