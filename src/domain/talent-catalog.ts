// The talent directory as the API reads it: talents.json with the store's records over it, rebuilt at most once
// a second (every v2 answer names talents; the records change rarely), and at once after a change made here.
import type { Store } from '../store/types.js';
import { TalentDirectory } from '../talents/directory.js';

const FRESH_MS = 1000;

export class TalentCatalog {
  private cached: { directory: Promise<TalentDirectory>; at: number } | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  current(): Promise<TalentDirectory> {
    const now = this.now();
    if (this.cached === null || now - this.cached.at >= FRESH_MS) {
      const directory = this.store.talents.list().then((records) => new TalentDirectory(records));
      this.cached = { directory, at: now };
      // A failed read is not kept: the next request asks the store again.
      directory.catch(() => {
        if (this.cached?.directory === directory) this.cached = null;
      });
    }
    return this.cached.directory;
  }

  invalidate(): void {
    this.cached = null;
  }
}
