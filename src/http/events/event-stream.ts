// One client's Server-Sent Events stream: frames written in order, each change at most once, a resume caught up
// from the store before live changes flow, and a client that stops reading dropped instead of buffered.
import { PassThrough } from 'node:stream';
import type { Change } from '../../store/types.js';

/** A change's frame is the same for every client: made once (the feed hands every listener the same objects). */
const frames = new WeakMap<Change, string>();

export function frameOf(change: Change): string {
  let frame = frames.get(change);
  if (frame === undefined) {
    frame = `id: ${change.seq}\nevent: ${change.type}\ndata: ${change.data}\n\n`;
    frames.set(change, frame);
  }
  return frame;
}

export interface EventStreamOptions {
  /** Which changes this client asked for. */
  wants: (change: Change) => boolean;
  /** What may wait unread (here and in the socket's buffer) before the client is dropped. */
  maxBufferedBytes: number;
  /** The response's own buffer, counted with ours. */
  socketBuffered: () => number;
  /** Ends the connection at once (a client too slow to keep up). */
  drop: () => void;
  /** The most live changes held while a resume is caught up from the store. */
  maxPending?: number;
}

export class EventStream {
  /** What Fastify sends as the response body. */
  readonly body = new PassThrough();
  /** The last sequence this client was given or skipped (filtered out). */
  private lastSeq = 0;
  /** Live changes that came in during a catch-up; null once live. */
  private pending: Change[] | null = null;
  private dropped = false;

  constructor(private readonly options: EventStreamOptions) {}

  get closed(): boolean {
    return this.dropped || this.body.destroyed || this.body.writableEnded;
  }

  /** Live from `position` on: the client hears every change after it. */
  startLive(position: number, prelude: string): void {
    this.lastSeq = position;
    this.write(prelude);
  }

  /** Catching up after `from`: live changes wait until `finishCatchUp`. */
  startCatchUp(from: number, prelude: string): void {
    this.lastSeq = from;
    this.pending = [];
    this.write(prelude);
  }

  /** A change read from the store during the catch-up. */
  replay(change: Change): void {
    this.send(change);
  }

  finishCatchUp(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    for (const change of pending) this.send(change);
  }

  /** A batch from the feed. */
  deliver(changes: Change[]): void {
    if (this.pending === null) {
      for (const change of changes) this.send(change);
      return;
    }
    this.pending.push(...changes);
    if (this.pending.length > (this.options.maxPending ?? 10_000)) this.drop();
  }

  heartbeat(): void {
    this.write(': ping\n\n');
  }

  /** Ends the stream cleanly (shutdown): the client reconnects, with its last id, wherever it is sent. */
  end(): void {
    if (!this.closed) this.body.end();
  }

  private send(change: Change): void {
    if (change.seq <= this.lastSeq) return;
    this.lastSeq = change.seq;
    if (this.options.wants(change)) this.write(frameOf(change));
  }

  private write(text: string): void {
    if (this.closed) return;
    this.body.write(text);
    const buffered = this.body.writableLength + this.body.readableLength + this.options.socketBuffered();
    if (buffered > this.options.maxBufferedBytes) this.drop();
  }

  private drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.options.drop();
  }
}
