import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { logIn } from './auth-client.ts';

export interface LoginPageProps {
  onLoggedIn: () => void;
}

/** Renders the login form, shown when auth is on and the browser has no session. */
export function LoginPage({ onLoggedIn }: LoginPageProps): JSX.Element {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const message = await logIn(username, password);
    setBusy(false);
    setPassword('');
    if (message === null) onLoggedIn();
    else setError(message);
  };

  return (
    <main class="login-page">
      <form class="login-form" onSubmit={(event) => void onSubmit(event)}>
        <h1>Foghorn</h1>
        <label>
          User name
          <input
            name="username"
            autocomplete="username"
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
            required
          />
        </label>
        {error !== null && (
          <p class="login-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
