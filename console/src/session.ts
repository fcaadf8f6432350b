// The signed-in user: a bearer token kept in sessionStorage (this tab only; Chromium also writes it into its
// profile for session restore, decision 0030), cleared on sign-out, on expiry and when the API refuses it.

export type Role = 'issuer' | 'provider' | 'auditor' | 'enterprise';
const ROLES: readonly string[] = ['issuer', 'provider', 'auditor', 'enterprise'] satisfies Role[];
export interface Claims {
  sub: string;
  role: Role;
  region?: string;
  org?: string;
  exp: number;
}
export interface Session {
  token: string;
  claims: Claims;
}

const TOKEN_KEY = 'voucher-ledger.token';

function decodeBase64Url(part: string): string {
  const base64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
}

/**
 * The claims the console shows (role, region or org) and the expiry it schedules sign-out for. The token is
 * not verified here (the browser holds no key): the API verifies every request and a refusal signs out.
 */
export function readClaims(token: string): Claims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('not a JWT');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(decodeBase64Url(parts[1]!)) as Record<string, unknown>;
  } catch {
    throw new Error('not a JWT');
  }
  const { sub, role, region, org, exp } = payload;
  if (typeof sub !== 'string' || typeof exp !== 'number' || typeof role !== 'string' || !ROLES.includes(role)) throw new Error('missing claims');
  return { sub, role: role as Role, exp, ...(typeof region === 'string' ? { region } : {}), ...(typeof org === 'string' ? { org } : {}) };
}

export const isExpired = (claims: Claims, now = Date.now()) => claims.exp * 1000 <= now;

export function loadSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  try {
    const claims = readClaims(token);
    return isExpired(claims) ? null : { token, claims };
  } catch {
    return null;
  }
}

export function saveSession(token: string): Session {
  const claims = readClaims(token);
  sessionStorage.setItem(TOKEN_KEY, token.trim());
  return { token: token.trim(), claims };
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * A sign-in link's one-time `#code=…` (never sent to a server as part of the address), taken out of the address
 * bar at once (history.replaceState); the console exchanges it for the token (POST /v1/console/sessions). Links
 * carry a code rather than the token because the browser keeps every address it opens in its profile on disk.
 */
export function takeSignInCodeFromAddress(): string | null {
  const match = /(?:^#|&)code=([^&]+)/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return decodeURIComponent(match[1]!);
}
