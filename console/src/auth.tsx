import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { onTokenRefused, setToken } from './api';
import { clearSession, isExpired, loadSession, readClaims, saveSession, type Session, takeTokenFromAddress } from './session';

interface Auth {
  session: Session | null;
  /** Why the user was signed out (expired, refused), shown on the sign-in page. */
  reason: string | null;
  signIn(token: string): void;
  signOut(reason?: string): void;
}

const AuthContext = createContext<Auth | null>(null);

function initial(): { session: Session | null; reason: string | null } {
  const fromAddress = takeTokenFromAddress();
  if (fromAddress) {
    try {
      const claims = readClaims(fromAddress);
      if (isExpired(claims)) return { session: null, reason: 'expired' };
      return { session: saveSession(fromAddress), reason: null };
    } catch {
      return { session: null, reason: 'malformed' };
    }
  }
  return { session: loadSession(), reason: null };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(initial);
  setToken(state.session?.token ?? null);

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setToken(null);
    setState({ session: null, reason: reason ?? null });
  }, []);
  const signIn = useCallback((token: string) => {
    const session = saveSession(token);
    setToken(session.token);
    setState({ session, reason: null });
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
