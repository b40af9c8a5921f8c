import type { AuthStore } from "./auth";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === false) continue;
    params.set(key, value === true ? "" : String(value));
  }
  const text = params.toString().replace(/=(&|$)/g, "$1");
  return text ? `${path}?${text}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  let code = "http_error";
  let message = `${response.status} ${response.statusText}`;
  try {
    const data = (await response.json()) as {
      error?: { code?: string; message?: string } | string;
      detail?: string;
    };
    if (typeof data.error === "object" && data.error) {
      code = data.error.code ?? code;
      message = data.error.message ?? message;
    } else if (typeof data.error === "string") {
      code = data.error;
      message = data.detail ?? data.error;
    }
  } catch {
    /* keep the status line */
  }
  return new ApiError(response.status, code, message);
}

/** REST calls with the session's bearer token; one retry after renewing on 401. */
export class ApiClient {
  constructor(
    private readonly auth: AuthStore,
    private readonly onUnauthorized: () => void,
  ) {}

  private async send(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
    const url = withQuery(path, query);
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.auth.token();
      if (!token) break;
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status !== 401) return response;
      this.auth.expire();
    }
    this.onUnauthorized();
    throw new ApiError(401, "unauthorized", "signed out");
  }

  async request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const response = await this.send(method, path, body, query);
    if (!response.ok) throw await readError(response);
    const type = response.headers.get("Content-Type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, undefined, query);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body ?? {});
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }

  /** A download: the body and the file name the hub gives in Content-Disposition. */
  async file(path: string, query?: Query): Promise<{ blob: Blob; filename: string | null }> {
    const response = await this.send("GET", path, undefined, query);
    if (!response.ok) throw await readError(response);
    const disposition = response.headers.get("Content-Disposition") ?? "";
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
    return { blob: await response.blob(), filename };
  }

  /** A multipart form upload (fields, then files, in the form's order). */
  async upload<T>(path: string, form: FormData): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.auth.token();
      if (!token) break;
      const response = await fetch(path, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
      if (response.status === 401) {
        this.auth.expire();
        continue;
      }
      if (!response.ok) throw await readError(response);
      return (await response.json()) as T;
    }
    this.onUnauthorized();
    throw new ApiError(401, "unauthorized", "signed out");
  }

  /** The body as a Blob (CSV downloads). */
  async blob(path: string, query?: Query): Promise<Blob> {
    const response = await this.send("GET", path, undefined, query);
    if (!response.ok) throw await readError(response);
    return response.blob();
  }
}
