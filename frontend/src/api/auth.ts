import type { User } from "./types";

const REFRESH_KEY = "fieldhub.refresh_token";

export interface Session {
  accessToken: string;
  expiresAt: number;
  refreshToken: string;
  user: User;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  user: User;
}

export class AuthError extends Error {}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const data = (await response.json()) as { error?: { message?: string } | string; detail?: string };
    if (typeof data.error === "object" && data.error?.message) return data.error.message;
    if (data.detail) return data.detail;
    if (typeof data.error === "string") return data.error;
  } catch {
    /* not JSON */
  }
  return `${response.status} ${response.statusText}`;
}

function toSession(answer: TokenAnswer, refreshToken: string): Session {
  return {
    accessToken: answer.access_token,
    expiresAt: Date.now() + answer.expires_in * 1000,
    refreshToken,
    user: answer.user,
  };
}

/** Logs in, keeps the refresh token across reloads and renews the access token. */
export class AuthStore {
  session: Session | null = null;
  private renewing: Promise<Session | null> | null = null;

  storedRefreshToken(): string | null {
    return localStorage.getItem(REFRESH_KEY);
  }

  async login(username: string, password: string): Promise<Session> {
    const response = await postJson("/api/auth/login", {
      username,
      password,
      client_name: "Fieldhub web UI",
    });
    if (!response.ok) throw new AuthError(await errorMessage(response));
    const answer = (await response.json()) as TokenAnswer;
    const refresh = answer.refresh_token ?? "";
    localStorage.setItem(REFRESH_KEY, refresh);
    this.session = toSession(answer, refresh);
    return this.session;
  }

  /** A fresh access token from the stored refresh token; null when it no longer works. */
  async restore(): Promise<Session | null> {
    const refresh = this.storedRefreshToken();
    if (!refresh) return null;
    this.renewing ??= (async () => {
      try {
        const response = await postJson("/api/auth/token", {
          grant_type: "refresh_token",
          refresh_token: refresh,
        });
        if (response.status === 401 || response.status === 400) {
          localStorage.removeItem(REFRESH_KEY);
          this.session = null;
          return null;
        }
        if (!response.ok) throw new AuthError(await errorMessage(response));
        this.session = toSession((await response.json()) as TokenAnswer, refresh);
        return this.session;
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  /** An access token valid for at least another minute. */
  async token(): Promise<string | null> {
    if (this.session && this.session.expiresAt - Date.now() > 60_000) {
      return this.session.accessToken;
    }
    const session = await this.restore();
    return session?.accessToken ?? null;
  }

  /** Forget the access token (the hub refused it); the next call renews it. */
  expire(): void {
    if (this.session) this.session.expiresAt = 0;
  }

  async logout(): Promise<void> {
    const refresh = this.storedRefreshToken();
    localStorage.removeItem(REFRESH_KEY);
    this.session = null;
    if (refresh) {
      try {
        await postJson("/api/auth/revoke", { token: refresh });
      } catch {
        /* the hub may be down; the token is forgotten here either way */
      }
    }
  }
}
