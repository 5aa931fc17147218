import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fetchSession, installCsrfHeader, logOut, type SessionState } from './auth-client.ts';
import { LoginPage } from './LoginPage.tsx';

export interface AuthGateProps {
  children: ComponentChildren;
}

/**
 * Shows the login page when auth is on and there is no session. Otherwise it
 * shows the app under a bar with the signed-in user, which also says when content is hidden.
 */
export function AuthGate({ children }: AuthGateProps): JSX.Element {
  const [session, setSession] = useState<SessionState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    fetchSession().then(
      (state) => {
        if (state.csrfToken !== null) installCsrfHeader(state.csrfToken);
        setSession(state);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [version]);

  if (error !== null) return <p class="login-error">{error}</p>;
  if (session === null) return <p class="auth-loading">Loading…</p>;
  if (session.authEnabled && !session.authenticated)
    return <LoginPage onLoggedIn={() => setVersion((value) => value + 1)} />;
  if (!session.authEnabled) return <>{children}</>;

  const onLogOut = async (): Promise<void> => {
    await logOut();
    window.location.reload();
  };
  return (
    <>
      <div class="auth-bar">
        <span>
          {session.username} · {session.role} of {session.projectId}
        </span>
        {!session.canReadContent && (
          <span class="auth-content-hidden">
            Prompt and completion content is hidden: your role lacks the content permission.
          </span>
        )}
        <button type="button" onClick={() => void onLogOut()}>
          Log out
        </button>
      </div>
      {children}
    </>
  );
}
