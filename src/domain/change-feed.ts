// One instance's view of the change log: it polls the store for changes after the last one it delivered and
// hands each batch to its listeners, so a change collected by any instance reaches the clients of every one.
// It runs only while someone listens; with nobody listening it stops and forgets its position.
import type { Logger } from 'pino';
import type { Change, ChangeLogStore } from '../store/types.js';

export type ChangeListener = (changes: Change[]) => void;

export interface ChangeFeedOptions {
  changes: ChangeLogStore;
  pollMs: number;
  log: Pick<Logger, 'warn'>;
  /**
   * How long a missing sequence is waited for before it is skipped. On MongoDB an append takes its sequences
   * before it writes, so a later one can be read first; one that never lands (a failed append) would stall the feed.
   */
  gapGraceMs?: number;
  now?: () => number;
}

const PAGE = 500;
const DEFAULT_GAP_GRACE_MS = 10_000;

export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  /** The last sequence delivered: everything up to it was delivered, in order, or is known never to come. */
  private cursor = 0;
  private started: Promise<void> | null = null;
  /** Bumped on every stop, so a poll of an earlier run delivers nothing. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private gapSince: number | undefined;
  private failing = false;
  private readonly now: () => number;

  constructor(private readonly options: ChangeFeedOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The last sequence delivered (listeners hear every later one). */
  get position(): number {
    return this.cursor;
  }

  /**
   * Starts listening: `position` is the last sequence the listener will not hear; it hears every later one.
   * Throws (a store fault) when the feed cannot start.
   */
  async subscribe(listener: ChangeListener): Promise<{ position: number; unsubscribe: () => void }> {
    await this.start();
    this.listeners.add(listener);
    return {
      position: this.cursor,
      unsubscribe: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  stop(): void {
    this.generation++;
    this.started = null;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.gapSince = undefined;
  }

  private start(): Promise<void> {
    if (this.started) return this.started;
    const generation = this.generation;
    const started = (async () => {
      const bounds = await this.options.changes.bounds();
      if (generation !== this.generation) return;
      // From the newest change written, not the newest sequence taken: an append under way is still heard.
      this.cursor = bounds.newest ?? bounds.issued;
      this.schedule(generation);
    })();
    this.started = started;
    started.catch(() => {
      if (this.started === started) this.started = null;
    });
    return started;
  }

  private schedule(generation: number): void {
    if (generation !== this.generation) return;
    // Not unref'd: it runs only while someone listens, and stops with the last listener.
    this.timer = setTimeout(() => void this.poll(generation), this.options.pollMs);
  }

  private async poll(generation: number): Promise<void> {
    try {
      for (;;) {
        const page = await this.options.changes.after(this.cursor, PAGE);
        if (generation !== this.generation) return;
        const ready = this.contiguous(page);
        if (ready.length > 0) for (const listener of this.listeners) listener(ready);
        if (page.length < PAGE || ready.length < page.length) break;
      }
      if (this.failing) this.options.log.warn('change log readable again: events flow');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.options.log.warn({ err }, 'cannot read the change log: events wait until it can');
      this.failing = true;
    }
    this.schedule(generation);
  }

  /** The changes that follow the cursor without a gap (moving it); a gap is waited for, then skipped. */
  private contiguous(page: Change[]): Change[] {
    const ready: Change[] = [];
    for (const change of page) {
      if (change.seq <= this.cursor) continue;
      if (change.seq !== this.cursor + 1) {
        const now = this.now();
        this.gapSince ??= now;
        if (now - this.gapSince < (this.options.gapGraceMs ?? DEFAULT_GAP_GRACE_MS)) break;
        this.options.log.warn(
          { from: this.cursor + 1, to: change.seq - 1 },
          'change log: sequences taken but never written (a failed append); skipped',
        );
      }
      this.gapSince = undefined;
      this.cursor = change.seq;
      ready.push(change);
    }
    return ready;
  }
}
