// `/account`: change the password, API keys (create, list, revoke), calendar feeds with their webcal:// links,
// sign out.
import { useEffect, useState } from 'preact/hooks';
import { getJson, sendJson } from '../api';
import { catalog } from '../catalog';
import { CopyField, Message, SignInPrompt } from '../components';
import { t } from '../i18n';
import { navigate } from '../router';
import { session, sessionState } from '../session';
import { useValue } from '../state';
import { formatDateTime } from '../time';
import type { ApiKey, Feed, NewApiKey, NewFeed } from '../types';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function PasswordForm({ username }: { username: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section class="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t('changePassword')}</h2>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            await sendJson('/me/password', 'PUT', { current_password: current, new_password: next });
            // The change ends every token issued before it, this page's too: sign in again with the new one.
            await session.signIn(username, next);
            setCurrent('');
            setNext('');
            setResult({ ok: true, text: t('passwordChanged') });
          } catch (error) {
            setResult({ ok: false, text: errorText(error) });
          }
        }}
      >
        <label>
          <span>{t('currentPassword')}</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </label>
        <label>
          <span>{t('newPassword')}</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
          />
        </label>
        {result ? <Message kind={result.ok ? 'info' : 'error'}>{result.text}</Message> : null}
        <button type="submit" class="button button-primary">
          {t('save')}
        </button>
      </form>
    </section>
  );
}

function ApiKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [error, setError] = useState('');
  const reload = () =>
    getJson<ApiKey[]>('/me/api-keys').then(setKeys, (e: unknown) => {
      setError(errorText(e));
    });
  useEffect(() => void reload(), []);
  return (
    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('apiKeys')}</h2>
      <p class="help">{t('apiKeysHelp')}</p>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setError('');
          try {
            const body: { name: string; expires_in_days?: number } = { name: name.trim() };
            if (days.trim()) body.expires_in_days = Number(days);
            setCreated(await sendJson<NewApiKey>('/me/api-keys', 'POST', body));
            setName('');
            setDays('');
            await reload();
          } catch (e) {
            setError(errorText(e));
          }
        }}
      >
        <label>
          <span>{t('keyName')}</span>
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('expiresInDays')}</span>
          <input
            type="number"
            min={1}
            inputMode="numeric"
            value={days}
            onInput={(e) => setDays(e.currentTarget.value)}
          />
        </label>
        {error ? <Message kind="error">{error}</Message> : null}
        <button type="submit" class="button button-primary">
          {t('createKey')}
        </button>
      </form>
      {created ? <CopyField label={t('newKeyShown')} value={created.key} /> : null}
      {keys === null ? null : keys.length === 0 ? (
        <p>{t('nothingYet')}</p>
      ) : (
        <ul class="rows">
          {keys.map((key) => (
            <li key={key.id} class="row" data-key-id={key.id}>
              <div>
                <strong>{key.name}</strong>
                <span class="meta">
                  {t('created')}: {formatDateTime(key.created_at)} · {t('lastUsed')}:{' '}
                  {key.last_used_at ? formatDateTime(key.last_used_at) : t('never')} · {t('expires')}:{' '}
                  {key.expires_at ? formatDateTime(key.expires_at) : t('never')}
                </span>
              </div>
              <RevokeButton
                name={key.name}
                path={`/me/api-keys/${encodeURIComponent(key.id)}`}
                done={reload}
                failed={setError}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Feeds() {
  const groups = useValue(catalog)?.groups ?? [];
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [name, setName] = useState('');
  const [talents, setTalents] = useState('');
  const [group, setGroup] = useState('');
  const [created, setCreated] = useState<NewFeed | null>(null);
  const [error, setError] = useState('');
  const reload = () => getJson<Feed[]>('/me/feeds').then(setFeeds, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), []);
  return (
    <section class="panel" aria-labelledby="feeds-title">
      <h2 id="feeds-title">{t('feeds')}</h2>
      <p class="help">{t('feedsHelp')}</p>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setError('');
          try {
            const body: { name?: string; talent?: string; group?: string } = {};
            if (name.trim()) body.name = name.trim();
            if (talents.trim()) body.talent = talents.replace(/\s+/g, '').toUpperCase();
            if (group) body.group = group;
            setCreated(await sendJson<NewFeed>('/me/feeds', 'POST', body));
            setName('');
            setTalents('');
            await reload();
          } catch (e) {
            setError(errorText(e));
          }
        }}
      >
        <label>
          <span>{t('keyName')}</span>
          <input maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('filterTalents')}</span>
          <input value={talents} placeholder="HL0503,HL0301" onInput={(e) => setTalents(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('filterGroups')}</span>
          <select value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            <option value="">{t('anyGroup')}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        {error ? <Message kind="error">{error}</Message> : null}
        <button type="submit" class="button button-primary">
          {t('createFeed')}
        </button>
      </form>
      {created ? (
        <div class="stack">
          <CopyField label={t('newFeedShown')} value={created.webcal_url} />
          <a class="button" href={created.webcal_url}>
            {t('subscribe')}
          </a>
        </div>
      ) : null}
      {feeds === null ? null : feeds.length === 0 ? (
        <p>{t('nothingYet')}</p>
      ) : (
        <ul class="rows">
          {feeds.map((feed) => (
            <li key={feed.id} class="row" data-feed-id={feed.id}>
              <div>
                <strong>{feed.name}</strong>
                <span class="meta">
                  {[...(feed.talent ?? []), ...(feed.group ?? [])].join(', ') || t('anyTalent')} · {t('created')}:{' '}
                  {formatDateTime(feed.created_at)}
                </span>
              </div>
              <RevokeButton
                name={feed.name}
                path={`/me/feeds/${encodeURIComponent(feed.id)}`}
                done={reload}
                failed={setError}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AccountPage() {
  const auth = useValue(sessionState);
  useEffect(() => {
    document.title = `${t('accountTitle')} · holodule`;
  }, []);
  if (auth.status === 'checking') return <Message>{t('loading')}</Message>;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('accountTitle')}
      </h1>
      {auth.status === 'signed-out' ? (
        <SignInPrompt text={t('needSignIn')} />
      ) : (
        <>
          <p>
            {t('signedInAs', auth.user.username)} ({auth.user.role === 'admin' ? t('admin') : t('user')})
          </p>
          <button
            type="button"
            class="button"
            onClick={async () => {
              await session.signOut();
              navigate('/');
            }}
          >
            {t('signOut')}
          </button>
          <PasswordForm username={auth.user.username} />
          <ApiKeys />
          <Feeds />
        </>
      )}
    </section>
  );
}

/** Revokes one API key or calendar feed (DELETE on `path`), then reloads the list; a failure is shown, not thrown. */
function RevokeButton(props: {
  name: string;
  path: string;
  done: () => Promise<void>;
  failed: (message: string) => void;
}) {
  return (
    <button
      type="button"
      class="button"
      aria-label={t('revokeNamed', props.name)}
      onClick={async () => {
        try {
          await sendJson(props.path, 'DELETE');
          await props.done();
        } catch (e) {
          props.failed(errorText(e));
        }
      }}
    >
      {t('revoke')}
    </button>
  );
}
