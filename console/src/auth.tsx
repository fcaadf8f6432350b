import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, onTokenRefused, setToken } from './api';
import { clearSession, isExpired, loadSession, readClaims, saveSession, type Session, takeSignInCodeFromAddress } from './session';

interface Auth {
  session: Session | null;
  /** Why the user was signed out (expired, refused, a spent sign-in link), shown on the sign-in page. */
  reason: string | null;
  /** A sign-in link's code is being exchanged for its token. */
  signingIn: boolean;
  signIn(token: string): void;
  signOut(reason?: string): void;
}

const AuthContext = createContext<Auth | null>(null);

// Read once, when the console loads: the code leaves the address bar before anything renders.
const linkCode = takeSignInCodeFromAddress();
let linkExchange: Promise<string> | undefined;

/**
 * The link's token, asked for once however often React runs the effect (a code works only once). A refused
 * code is the reason `link`; the API's 401 also reaches onTokenRefused, which the outcome here overrides.
 */
function exchangeLinkCode(code: string): Promise<string> {
  linkExchange ??= api<{ token: string }>('POST', '/v1/console/sessions', { body: { code } }).then((answer) => answer.token);
  return linkExchange;
}

type State = { session: Session | null; reason: string | null; signingIn: boolean };

function initial(): State {
  if (linkCode) return { session: null, reason: null, signingIn: true };
  return { session: loadSession(), reason: null, signingIn: false };
}

/** The session a token opens, or why it cannot. */
function sessionFrom(token: string): State {
  try {
    if (isExpired(readClaims(token))) return { session: null, reason: 'expired', signingIn: false };
    return { session: saveSession(token), reason: null, signingIn: false };
  } catch {
    return { session: null, reason: 'malformed', signingIn: false };
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(initial);
  setToken(state.session?.token ?? null);

  useEffect(() => {
    if (!linkCode) return;
    let current = true;
    exchangeLinkCode(linkCode).then(
      (token) => current && setState(sessionFrom(token)),
      (err: unknown) => {
        if (!current) return;
        clearSession();
        // A spent, expired or unknown code, or one cut short in copying: the remedy is the same, a new link.
        const refused = err instanceof ApiError && (err.code === 'invalid_sign_in_code' || err.status === 400);
        setState({ session: null, reason: refused ? 'link' : err instanceof Error ? err.message : String(err), signingIn: false });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setToken(null);
    setState({ session: null, reason: reason ?? null, signingIn: false });
  }, []);
  const signIn = useCallback((token: string) => {
    const session = saveSession(token);
    setToken(session.token);
    setState({ session, reason: null, signingIn: false });
  }, []);

  useEffect(() => onTokenRefused((reason) => signOut(reason)), [signOut]);
  // Signs out the moment the token expires, rather than on the next refused request.
  useEffect(() => {
    if (!state.session) return;
    const remaining = state.session.claims.exp * 1000 - Date.now();
    const timer = setTimeout(() => signOut('expired'), Math.min(Math.max(remaining, 0), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [state.session, signOut]);

  const value = useMemo<Auth>(() => ({ ...state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('not signed in');
  return session;
}
