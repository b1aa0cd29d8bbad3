// `/admin/users` (admins): list users, create one, change role, disable or enable, delete.
import { useEffect, useState } from 'preact/hooks';
import { getJson, sendJson } from '../api';
import { Message, SignInPrompt } from '../components';
import { t } from '../i18n';
import { sessionState } from '../session';
import { useValue } from '../state';
import type { User } from '../types';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function Users({ me }: { me: string }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const reload = () => getJson<User[]>('/users').then(setUsers, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), []);
  const act = async (work: () => Promise<unknown>) => {
    setError('');
    try {
      await work();
      await reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <section class="panel" aria-labelledby="create-title">
        <h2 id="create-title">{t('createUser')}</h2>
        <form
          class="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void act(async () => {
              await sendJson('/users', 'POST', { username: username.trim(), password, role });
              setUsername('');
              setPassword('');
            });
          }}
        >
          <label>
            <span>{t('username')}</span>
            <input required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </label>
          <label>
            <span>{t('password')}</span>
            <input
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <label>
            <span>{t('role')}</span>
            <select value={role} onChange={(e) => setRole(e.currentTarget.value === 'admin' ? 'admin' : 'user')}>
              <option value="user">{t('user')}</option>
              <option value="admin">{t('admin')}</option>
            </select>
          </label>
          <button type="submit" class="button button-primary">
            {t('createUser')}
          </button>
        </form>
      </section>
      {error ? <Message kind="error">{error}</Message> : null}
      {users === null ? (
        <Message>{t('loading')}</Message>
      ) : (
        <ul class="rows" aria-label={t('usersTitle')}>
          {users.map((user) => {
            const path = `/users/${encodeURIComponent(user.username)}`;
            const self = user.username === me;
            return (
              <li key={user.id} class="row" data-username={user.username}>
                <div>
                  <strong>{user.username}</strong>
                  <span class="meta">
                    {user.role === 'admin' ? t('admin') : t('user')}
                    {user.disabled ? ` · ${t('disabled')}` : ''}
                    {self ? ` · ${t('you')}` : ''}
                  </span>
                </div>
                {self ? null : (
                  <div class="row-actions">
                    <button
                      type="button"
                      class="button"
                      onClick={() => void act(() => sendJson(path, 'PATCH', { disabled: !user.disabled }))}
                    >
                      {user.disabled ? t('enable') : t('disable')}
                    </button>
                    <button
                      type="button"
                      class="button"
                      aria-label={t('deleteNamed', user.username)}
                      onClick={() => void act(() => sendJson(path, 'DELETE'))}
                    >
                      {t('deleteUser')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

export function AdminUsersPage() {
  const auth = useValue(sessionState);
  useEffect(() => {
    document.title = `${t('usersTitle')} · holodule`;
  }, []);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('usersTitle')}
      </h1>
      {auth.status === 'checking' ? (
        <Message>{t('loading')}</Message>
      ) : auth.status === 'signed-out' ? (
        <SignInPrompt text={t('needSignIn')} />
      ) : auth.user.role !== 'admin' ? (
        <Message>{t('needAdmin')}</Message>
      ) : (
        <Users me={auth.user.username} />
      )}
    </section>
  );
}
