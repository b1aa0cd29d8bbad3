// The same question asked again while nothing it depends on changed gets the same answer object back, so HTTP can
// keep its encoded body (routes/v2-streams.ts). "Nothing changed" is identity: the store's cached result arrays
// (SQLite hands back the same frozen array until the database changes) and the talent directory object.
// As many as the store keeps result arrays (day-cache.ts): an answer outliving its rows would never be asked for.
const MAX_ANSWERS = 64;

export class AnswerMemo {
  private readonly answers = new Map<string, { sources: readonly unknown[]; answer: object }>();
  /** What each set of v2 parameters asks the store (schedule-v2.ts): kept apart, so they never push answers out. */
  private plansMemo: AnswerMemo | undefined;

  get plans(): AnswerMemo {
    this.plansMemo ??= new AnswerMemo();
    return this.plansMemo;
  }

  /** The answer kept for `key` if every source is the very object it was made from; else `make()`'s, kept. */
  answer<T extends object>(key: string, sources: readonly unknown[], make: () => T): T {
    const kept = this.answers.get(key);
    if (kept && kept.sources.length === sources.length && kept.sources.every((s, i) => s === sources[i]))
      return kept.answer as T;
    const answer = make();
    // Only answers made from result arrays the store keeps (frozen) can come back: anything else would never hit.
    if (sources.every((s) => !Array.isArray(s) || Object.isFrozen(s))) {
      if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
      this.answers.set(key, { sources, answer });
    }
    return answer;
  }
}
