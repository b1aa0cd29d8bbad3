// The parts pages share: stream cards, the favourite star, messages.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { catalog } from './catalog';
import { favourites, setFavourite } from './favourites';
import { t } from './i18n';
import { useValue } from './state';
import { formatDateTime, formatTime } from './time';
import type { Stream } from './types';

/** A star that adds or removes a favourite talent; nothing when signed out. */
export function Star({ code, name }: { code: string; name: string }) {
  const favs = useValue(favourites);
  const [busy, setBusy] = useState(false);
  if (!favs) return null;
  const on = favs.has(code.toUpperCase());
  const label = on ? t('removeFavourite', name) : t('addFavourite', name);
  return (
    <button
      type="button"
      class={`star${on ? ' on' : ''}`}
      aria-pressed={on}
      aria-label={label}
      title={label}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        setFavourite(code, !on)
          .catch(() => {})
          .finally(() => setBusy(false));
      }}
    >
      <span aria-hidden="true">{on ? '★' : '☆'}</span>
    </button>
  );
}

function statusBadge(stream: Stream) {
  switch (stream.status) {
    case 'live':
      return <span class="badge badge-live">{t('live')}</span>;
    case 'ended':
      return <span class="badge badge-ended">{t('ended')}</span>;
    case 'missing':
      return <span class="badge badge-missing">{t('cancelled')}</span>;
    default:
      return null;
  }
}

function Initial({ name }: { name: string }) {
  return (
    <span class="avatar avatar-initial" aria-hidden="true">
      {[...name][0] ?? '?'}
    </span>
  );
}

/** One stream: time, talent, thumbnail, title, collaborators, state. The thumbnail and title open YouTube. */
export function StreamCard({ stream, withDate = false }: { stream: Stream; withDate?: boolean }) {
  const talents = useValue(catalog);
  const talent = talents?.byCode.get(stream.talent.code.toUpperCase());
  const when = stream.start ? (withDate ? formatDateTime(stream.start) : formatTime(stream.start)) : '';
  const title = stream.title || stream.talent.name;
  return (
    <article class={`card status-${stream.status}`} data-video-id={stream.video_id} data-status={stream.status}>
      <div class="card-head">
        {stream.start ? (
          <time class="card-time" dateTime={stream.start}>
            {when}
          </time>
        ) : null}
        {statusBadge(stream)}
        <Star code={stream.talent.code} name={stream.talent.name} />
      </div>
      <a class="card-watch" href={stream.url} target="_blank" rel="noopener noreferrer">
        <span class="thumb">
          <img src={stream.thumbnail} alt="" width={320} height={180} loading="lazy" decoding="async" />
        </span>
        <span class="card-title">
          <span class="visually-hidden">{t('watchOn', '')}</span>
          {title}
        </span>
      </a>
      <div class="card-foot">
        <a class="card-talent" href={`/talents/${encodeURIComponent(stream.talent.code)}`}>
          {talent?.avatar ? (
            <img class="avatar" src={talent.avatar} alt="" width={32} height={32} loading="lazy" decoding="async" />
          ) : (
            <Initial name={stream.talent.name} />
          )}
          <span class="card-name">{stream.talent.name}</span>
        </a>
        {stream.collaborators.length > 0 ? (
          <ul class="collabs" aria-label={t('collaborators')}>
            {stream.collaborators.map((c, i) => {
              const name = c.name ?? t('unknownCollaborator');
              const face = c.avatar ? (
                <img class="avatar" src={c.avatar} alt={name} width={36} height={36} loading="lazy" decoding="async" />
              ) : (
                <Initial name={name} />
              );
              return (
                <li key={i}>
                  {c.code ? (
                    <a class="collab" href={`/talents/${encodeURIComponent(c.code)}`}>
                      {face}
                      <span class="tip" role="tooltip">
                        {name}
                      </span>
                    </a>
                  ) : (
                    // Focusable, so the name shows on focus as on hover.
                    // biome-ignore lint/a11y/noNoninteractiveTabindex: the name's tooltip shows on focus
                    <span class="collab" tabIndex={0}>
                      {face}
                      <span class="tip" role="tooltip">
                        {name}
                      </span>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </article>
  );
}

export function Message({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'error' }) {
  return (
    <p class={`message message-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

export function SignInPrompt({ text }: { text: string }) {
  const next = `${location.pathname}${location.search}`;
  return (
    <div class="prompt">
      <p>{text}</p>
      <a class="button" href={`/login?next=${encodeURIComponent(next)}`}>
        {t('navSignIn')}
      </a>
    </div>
  );
}

export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="copy-field">
      <label>
        <span>{label}</span>
        <input type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        class="button"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? t('copied') : t('copy')}
      </button>
    </div>
  );
}
