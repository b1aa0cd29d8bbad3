// `/talents/{code}`: one talent, their upcoming and recent streams, and the favourite star.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, query } from '../api';
import { catalog } from '../catalog';
import { Message, SignInPrompt, Star, StreamCard } from '../components';
import { t } from '../i18n';
import { sessionState } from '../session';
import { useValue } from '../state';
import type { StreamPage, TalentDetail } from '../types';

type Load =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'done'; talent: TalentDetail; upcoming: StreamPage['items']; recent: StreamPage['items'] };

export function TalentPage({ code }: { code: string }) {
  const auth = useValue(sessionState);
  const groups = useValue(catalog)?.groups;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    if (auth.status === 'checking') return;
    let active = true;
    setLoad({ state: 'loading' });
    const at = Date.now();
    const now = new Date(at).toISOString();
    // Upcoming: the next 30 days; recent: the last year (the API's default window is 8 days).
    const ahead = new Date(at + 30 * 86_400_000).toISOString();
    const behind = new Date(at - 365 * 86_400_000).toISOString();
    const path = `/api/v2/talents/${encodeURIComponent(code)}`;
    Promise.all([
      getJson<TalentDetail>(path),
      getJson<StreamPage>(`/api/v2/streams${query({ talent: code, from: now, to: ahead, limit: 20 })}`),
      getJson<StreamPage>(`/api/v2/streams${query({ talent: code, from: behind, to: now, order: 'desc', limit: 20 })}`),
    ]).then(
      ([talent, upcoming, recent]) => {
        if (active) setLoad({ state: 'done', talent, upcoming: upcoming.items, recent: recent.items });
      },
      (error: Error) => {
        if (active) setLoad({ state: 'error', error });
      },
    );
    return () => {
      active = false;
    };
  }, [code, auth.status]);
  useEffect(() => {
    if (load.state === 'done') document.title = `${load.talent.name} · holodule`;
  }, [load]);

  if (load.state === 'loading') return <Message>{t('loading')}</Message>;
  if (load.state === 'error') {
    const status = load.error instanceof ApiError ? load.error.status : 0;
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {code}
        </h1>
        {status === 401 ? (
          <SignInPrompt text={t('needSignIn')} />
        ) : status === 404 || status === 400 ? (
          <Message>{t('talentNotFound', code)}</Message>
        ) : (
          <Message kind="error">{t('error', load.error.message)}</Message>
        )}
      </section>
    );
  }
  const { talent, upcoming, recent } = load;
  const group = groups?.find((g) => g.id === talent.group)?.name ?? talent.group;
  return (
    <section aria-labelledby="page-title" class="talent-page">
      <div class="talent-head">
        {talent.avatar ? <img class="avatar avatar-large" src={talent.avatar} alt="" width={96} height={96} /> : null}
        <div>
          <h1 id="page-title" tabIndex={-1}>
            {talent.name}
          </h1>
          <p class="name-en">
            {talent.name_en ? `${talent.name_en} · ` : ''}
            {group}
            {talent.graduated ? ` · ${t('graduated')}` : ''}
          </p>
        </div>
        <Star code={talent.code} name={talent.name} />
      </div>
      <h2>{t('upcomingStreams')}</h2>
      {upcoming.length === 0 ? (
        <Message>{t('none')}</Message>
      ) : (
        <ul class="cards">
          {upcoming.map((s) => (
            <li key={s.video_id}>
              <StreamCard stream={s} withDate />
            </li>
          ))}
        </ul>
      )}
      <h2>{t('recentStreams')}</h2>
      {recent.length === 0 ? (
        <Message>{t('none')}</Message>
      ) : (
        <ul class="cards">
          {recent.map((s) => (
            <li key={s.video_id}>
              <StreamCard stream={s} withDate />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
