// `/` and `/schedule/YYYY-MM-DD`: one Japan-time day of streams, with filters in the URL (group, talent, live,
// q, fav) and changes pushed live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getJson, query } from '../api';
import { catalog } from '../catalog';
import { Message, SignInPrompt, StreamCard } from '../components';
import { favourites } from '../favourites';
import { t } from '../i18n';
import { followChanges, liveStatus } from '../live';
import { navigate } from '../router';
import { sessionState } from '../session';
import { useValue } from '../state';
import { addDays, formatDay, isDay, japanToday, zoneName } from '../time';
import type { Stream, StreamPage } from '../types';
import { NotFound } from './NotFound';

export interface Filters {
  group: string;
  talent: string;
  live: boolean;
  q: string;
  fav: boolean;
}

export function filtersOf(search: URLSearchParams): Filters {
  return {
    group: search.get('group') ?? '',
    talent: (search.get('talent') ?? '').toUpperCase(),
    live: search.get('live') === '1',
    q: search.get('q') ?? '',
    fav: search.get('fav') === '1',
  };
}

export function searchOf(filters: Filters): string {
  return query({
    group: filters.group || undefined,
    talent: filters.talent || undefined,
    live: filters.live ? '1' : undefined,
    q: filters.q || undefined,
    fav: filters.fav ? '1' : undefined,
  });
}

type Load =
  | { state: 'loading' }
  | { state: 'done'; streams: Stream[] }
  | { state: 'no-favourites' }
  | { state: 'error'; error: ApiError | Error };

/** Every stream of the day that the filters keep, all pages of them. */
async function fetchDay(day: string, filters: Filters, favs: ReadonlySet<string> | null): Promise<Load> {
  let talent = filters.talent;
  if (filters.fav) {
    const codes = [...(favs ?? [])].filter((code) => !talent || code === talent);
    if (codes.length === 0) return { state: 'no-favourites' };
    talent = codes.slice(0, 50).join(',');
  }
  const streams: Stream[] = [];
  let cursor: string | null = null;
  do {
    const page: StreamPage = await getJson<StreamPage>(
      `/api/v2/streams${query({
        from: day,
        to: day,
        group: filters.group || undefined,
        talent: talent || undefined,
        status: filters.live ? 'live' : undefined,
        q: filters.q || undefined,
        limit: 200,
        cursor,
      })}`,
    );
    streams.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return { state: 'done', streams };
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00+09:00`);

function FilterBar({ filters, day }: { filters: Filters; day: string }) {
  const known = useValue(catalog);
  const favs = useValue(favourites);
  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  const go = (next: Partial<Filters>, replace = false) =>
    navigate(`${location.pathname}${searchOf({ ...filters, ...next })}`, { replace });
  const talents = (known?.talents ?? []).filter((x) => !filters.group || x.group === filters.group);
  const any = filters.group || filters.talent || filters.live || filters.q || filters.fav;
  // Open on wide screens and whenever a filter is on; a phone shows the cards first.
  const [open, setOpen] = useState(() => Boolean(any) || matchMedia('(min-width: 601px)').matches);
  return (
    <details class="filters-box" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('filters')}</summary>
      <form
        class="filters"
        aria-label={t('filters')}
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: text.trim() });
        }}
      >
        <label>
          <span>{t('group')}</span>
          <select value={filters.group} onChange={(e) => go({ group: e.currentTarget.value, talent: '' })}>
            <option value="">{t('anyGroup')}</option>
            {(known?.groups ?? [])
              .filter((g) => g.talents > 0 || g.id === filters.group)
              .map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          <span>{t('talent')}</span>
          <select value={filters.talent} onChange={(e) => go({ talent: e.currentTarget.value })}>
            <option value="">{t('anyTalent')}</option>
            {talents.map((x) => (
              <option key={x.code} value={x.code.toUpperCase()}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label class="search">
          <span>{t('search')}</span>
          <input
            type="search"
            name="q"
            maxLength={100}
            value={text}
            placeholder={t('searchPlaceholder')}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button">
          {t('search')}
        </button>
        <label class="check">
          <input type="checkbox" checked={filters.live} onChange={(e) => go({ live: e.currentTarget.checked })} />
          <span>{t('liveNow')}</span>
        </label>
        {favs ? (
          <label class="check">
            <input type="checkbox" checked={filters.fav} onChange={(e) => go({ fav: e.currentTarget.checked })} />
            <span>{t('favouritesOnly')}</span>
          </label>
        ) : null}
        {any ? (
          <a class="button button-quiet" href={day === japanToday() ? location.pathname : `/schedule/${day}`}>
            {t('clearFilters')}
          </a>
        ) : null}
      </form>
    </details>
  );
}

export function DayPage({ day: asked, search }: { day: string | null; search: URLSearchParams }) {
  const day = asked ?? japanToday();
  const filters = filtersOf(search);
  const favs = useValue(favourites);
  const auth = useValue(sessionState);
  const live = useValue(liveStatus);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const favKey = favs === null ? 'none' : [...favs].sort().join();
  const key = `${day}${searchOf(filters)}|${auth.status}|${filters.fav ? favKey : ''}`;
  const generation = useRef(0);
  const refetch = useRef<() => void>(() => {});

  useEffect(() => {
    if (!isDay(day) || auth.status === 'checking') return;
    if (filters.fav && auth.status === 'signed-in' && favs === null) return;
    let active = true;
    let running = false;
    let again = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      const mine = ++generation.current;
      try {
        const result = await fetchDay(day, filters, favs);
        if (active && mine === generation.current) setLoad(result);
      } catch (error) {
        if (active && mine === generation.current) setLoad({ state: 'error', error: error as Error });
      } finally {
        running = false;
        if (again && active) {
          again = false;
          void run();
        }
      }
    };
    refetch.current = () => void run();
    setLoad({ state: 'loading' });
    void run();
    return () => {
      active = false;
    };
    // `key` holds the day, the filters and the session.
  }, [key]);

  // Follow the changes while the day is shown: one that touches this day (or a stream on it) fetches it again.
  const shown = load.state === 'done' ? load.streams : null;
  const shownIds = useRef(new Set<string>());
  shownIds.current = new Set((shown ?? []).map((s) => s.video_id));
  useEffect(() => {
    if (!isDay(day) || auth.status === 'checking') return;
    if (load.state === 'error' && load.error instanceof ApiError && load.error.status === 401) return;
    const from = dayStart(day);
    const to = dayStart(addDays(day, 1));
    return followChanges((change) => {
      const start = change.stream?.start ? Date.parse(change.stream.start) : Number.NaN;
      const touches =
        !change.stream ||
        (start >= from && start < to) ||
        shownIds.current.has(change.stream.video_id) ||
        change.type === 'reset';
      if (touches) refetch.current();
    });
    // Reopened per day and session only.
  }, [day, auth.status, load.state === 'error']);

  useEffect(() => {
    document.title = `${formatDay(day)} · holodule`;
  }, [day]);

  if (!isDay(day)) return <NotFound />;
  const filterSearch = searchOf(filters);
  const today = japanToday();
  return (
    <section class="day" aria-labelledby="page-title">
      <div class="day-head">
        <h1 id="page-title" tabIndex={-1}>
          {formatDay(day)}
          {day === today ? <span class="today"> · {t('today')}</span> : null}
        </h1>
        <nav class="day-nav" aria-label={t('scheduleOf', formatDay(day))}>
          <a class="button" rel="prev" href={`/schedule/${addDays(day, -1)}${filterSearch}`}>
            ‹ {t('previousDay')}
          </a>
          {day !== today ? (
            <a class="button" href={`/${filterSearch}`}>
              {t('navToday')}
            </a>
          ) : null}
          <a class="button" rel="next" href={`/schedule/${addDays(day, 1)}${filterSearch}`}>
            {t('nextDay')} ›
          </a>
        </nav>
      </div>
      <FilterBar filters={filters} day={day} />
      <p class="day-info" aria-live="polite">
        {load.state === 'done' ? <span>{t('streams', load.streams.length)}</span> : null}
        <span class="zone">{zoneName()}</span>
        {live === 'open' ? <span class="live-dot">{t('liveFollowing')}</span> : null}
        {live === 'reconnecting' ? <span>{t('liveReconnecting')}</span> : null}
      </p>
      <DayBody load={load} filtered={filterSearch !== ''} retry={() => refetch.current()} />
    </section>
  );
}

function DayBody({ load, filtered, retry }: { load: Load; filtered: boolean; retry: () => void }) {
  if (load.state === 'loading') return <Message>{t('loading')}</Message>;
  if (load.state === 'no-favourites') return <Message>{t('noFavourites')}</Message>;
  if (load.state === 'error') {
    if (load.error instanceof ApiError && load.error.status === 401) return <SignInPrompt text={t('needSignIn')} />;
    return (
      <div>
        <Message kind="error">{t('error', load.error.message)}</Message>
        <button type="button" class="button" onClick={retry}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (load.streams.length === 0) return <Message>{filtered ? t('noStreamsFiltered') : t('noStreams')}</Message>;
  return (
    <ul class="cards">
      {load.streams.map((stream) => (
        <li key={stream.video_id}>
          <StreamCard stream={stream} />
        </li>
      ))}
    </ul>
  );
}
