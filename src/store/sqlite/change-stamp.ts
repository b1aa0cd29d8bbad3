// Whether anything in the file changed since a cache was filled: `data_version` moves when another connection
// commits (another process, a second instance), `total_changes()` when this one writes. Reading data_version
// costs ~2 µs, as much as a primary-key lookup, so it is read once per run of synchronous code (until the next
// microtask) and shared by every cache on the connection: a request arriving after another instance's commit is
// always handled in a later task, so it always sees the commit. total_changes() costs ~0.1 µs and is read each time.
// Every HTTP request says when it begins (`holdFromNow`, from the app's first onRequest hook): the reading is
// then taken afresh, after the request arrived, and kept until the event loop's check phase (`setImmediate`),
// so the token's checks and the day's answer of one request share one reading. A request that begins meanwhile
// takes its own reading again, so no request uses a reading older than itself.
import type Database from 'better-sqlite3';

export class ChangeStamp {
  private readonly dataVersionOf: Database.Statement<[], number>;
  private readonly totalChangesOf: Database.Statement<[], number>;
  private dataVersion: number | undefined;
  private held = false;

  constructor(db: Database.Database) {
    this.dataVersionOf = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.totalChangesOf = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  /** Another connection's commits, as a number that moves with each (read once per synchronous run). */
  othersCommits(): number {
    if (this.dataVersion === undefined) {
      this.dataVersion = this.dataVersionOf.get()!;
      if (!this.held) queueMicrotask(this.forget);
    }
    return this.dataVersion;
  }

  /**
   * A unit of work (an HTTP request) begins: every commit made before now is seen by the next read, and that
   * reading is kept until the event loop's check phase (or the next unit of work).
   */
  holdFromNow(): void {
    this.dataVersion = undefined;
    if (this.held) return;
    this.held = true;
    setImmediate(this.release);
  }

  private readonly forget = (): void => {
    this.dataVersion = undefined;
  };

  private readonly release = (): void => {
    this.held = false;
    this.dataVersion = undefined;
  };

  /** This connection's writes so far. */
  ownChanges(): number {
    return this.totalChangesOf.get()!;
  }
}

/** Values kept until the file changes: any commit anywhere empties it before the next read. */
export class UntilChanged<V> {
  private readonly values = new Map<string, V>();
  private dataVersion = -1;
  private changes = -1;
  private bytes = 0;

  /** At most `max` values, and, when `sizeOf` is given, at most `maxBytes` of them. */
  constructor(
    private readonly stamp: ChangeStamp,
    private readonly max: number,
    private readonly sizeOf: (value: V) => number = () => 0,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * The value kept for `key`, or `load()`'s, kept until the file changes. `load` may write, but only what
   * concerns `key` (a day's answer built on its first read): the values kept for other keys stay right.
   */
  get(key: string, load: () => V): V {
    const dataVersion = this.stamp.othersCommits();
    const changes = this.stamp.ownChanges();
    if (dataVersion !== this.dataVersion || changes !== this.changes) {
      this.values.clear();
      this.bytes = 0;
      this.dataVersion = dataVersion;
      this.changes = changes;
    }
    const kept = this.values.get(key);
    if (kept !== undefined || this.values.has(key)) return kept as V;
    const value = load();
    this.changes = this.stamp.ownChanges();
    const size = this.sizeOf(value);
    if (size > this.maxBytes) return value;
    // Oldest first out: Map keeps insertion order.
    while (this.values.size >= this.max || this.bytes + size > this.maxBytes) {
      const [oldest, old] = this.values.entries().next().value!;
      this.values.delete(oldest);
      this.bytes -= this.sizeOf(old);
    }
    this.values.set(key, value);
    this.bytes += size;
    return value;
  }
}
