// The live push (GET /api/v2/events, docs/events.md): signed in, the page asks for a single-use ticket and opens
// an EventSource with it; a public server's stream needs none. A lost connection is opened again with a fresh
// ticket, resuming after the last event id seen; the caller fetches what it shows again to catch up.
import { request } from './api';
import { session } from './session';
import { Value } from './state';
import type { Stream, Ticket } from './types';

export type LiveStatus = 'off' | 'connecting' | 'open' | 'reconnecting';
export const liveStatus = new Value<LiveStatus>('off');

const EVENTS = ['stream.added', 'stream.updated', 'stream.live', 'stream.ended', 'stream.missing'] as const;

export interface Change {
  type: string;
  stream: Stream | null;
}

/** Follows the changes until the returned function is called. `onChange` hears each change and each resume. */
export function followChanges(onChange: (change: Change) => void): () => void {
  let source: EventSource | null = null;
  let lastEventId = '';
  let stopped = false;
  let retryIn = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let opened = false;

  async function open(): Promise<void> {
    if (stopped) return;
    liveStatus.set(opened ? 'reconnecting' : 'connecting');
    let url = '/api/v2/events';
    if (session.accessToken()) {
      try {
        const res = await request('/api/v2/events/tickets', { method: 'POST' });
        url = ((await res.json()) as Ticket).url;
      } catch {
        retry();
        return;
      }
    }
    if (stopped) return;
    const separator = url.includes('?') ? '&' : '?';
    const next = new EventSource(
      lastEventId ? `${url}${separator}last_event_id=${encodeURIComponent(lastEventId)}` : url,
    );
    source = next;
    next.onopen = () => {
      retryIn = 1000;
      liveStatus.set('open');
      // After a reconnect, what was missed is replayed from lastEventId; a reset (or a first open after a
      // failure) asks the caller to fetch again.
      if (opened) onChange({ type: 'resume', stream: null });
      opened = true;
    };
    const handle = (type: string) => (event: MessageEvent<string>) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      let stream: Stream | null = null;
      try {
        stream = (JSON.parse(event.data) as { stream?: Stream }).stream ?? null;
      } catch {
        stream = null;
      }
      onChange({ type, stream });
    };
    for (const type of EVENTS) next.addEventListener(type, handle(type) as EventListener);
    next.addEventListener('reset', handle('reset') as EventListener);
    next.onerror = () => {
      // A ticket works once: EventSource's own retry would present the used one. Open a new one instead.
      next.close();
      if (source === next) source = null;
      retry();
    };
  }

  function retry(): void {
    if (stopped) return;
    liveStatus.set('reconnecting');
    opened = true;
    timer = setTimeout(() => void open(), retryIn);
    retryIn = Math.min(retryIn * 2, 30_000);
  }

  void open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
    liveStatus.set('off');
  };
}
