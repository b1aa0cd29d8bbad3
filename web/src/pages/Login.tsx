// `/login`: signs in through POST /api/v2/session (the refresh token comes back as an HttpOnly cookie).
import { useEffect, useState } from 'preact/hooks';
import { Message } from '../components';
import { t } from '../i18n';
import { navigate } from '../router';
import { SignInError, session, sessionState } from '../session';
import { useValue } from '../state';

/** Where to go after signing in: a path of this site only (never //elsewhere). */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function LoginPage({ search }: { search: URLSearchParams }) {
  const auth = useValue(sessionState);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t('signInTitle')} · holodule`;
  }, []);
  return (
    <section class="narrow" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('signInTitle')}
      </h1>
      {auth.status === 'signed-in' ? <p>{t('signedInAs', auth.user.username)}</p> : null}
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError('');
          try {
            await session.signIn(username, password);
            navigate(nextPath(search), { replace: true });
          } catch (e) {
            const status = e instanceof SignInError ? e.status : 0;
            setError(
              status === 401 ? t('signInFailed') : status === 429 ? t('signInThrottled') : t('signInError', String(e)),
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          <span>{t('username')}</span>
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{t('password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? <Message kind="error">{error}</Message> : null}
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('signInButton')}
        </button>
      </form>
    </section>
  );
}
