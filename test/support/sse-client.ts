// A small Server-Sent Events client on fetch: parses text/event-stream as the WHATWG spec says (id, event, data,
// comments, blank-line dispatch) and lets a test wait for the events it expects.
export interface SseEvent {
  id: string;
  event: string;
  data: string;
  /** When it arrived (performance.now()). */
  at: number;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** The last event id seen (an `id:` line sets it even without data, as in a browser). */
  lastEventId = '';
  ended = false;
  private waiters: Array<() => void> = [];
  private readonly controller = new AbortController();
  private ready: Promise<void>;

  private constructor(readonly response: Response) {
    let markReady!: () => void;
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    void this.read(markReady);
  }

  /** Opens the stream; resolves once the server's first block (its prelude) has arrived. Non-200: throws with the body. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      const error = new Error(`GET ${url}: ${response.status} ${await response.text()}`);
      throw Object.assign(error, { status: response.status, headers: response.headers });
    }
    const client = new SseClient(response);
    client.abort = () => controller.abort();
    await client.ready;
    return client;
  }

  private abort: () => void = () => this.controller.abort();

  close(): void {
    this.abort();
  }

  /** Events of these types (all but resets when none given). */
  of(...types: string[]): SseEvent[] {
    return this.events.filter((e) => (types.length === 0 ? e.event !== 'reset' : types.includes(e.event)));
  }

  /** Waits until `count` events match (default 1); rejects after `timeoutMs` naming what it saw. */
  async waitFor(match: (e: SseEvent) => boolean, count = 1, timeoutMs = 10_000): Promise<SseEvent[]> {
    const found = () => this.events.filter(match);
    const deadline = Date.now() + timeoutMs;
    while (found().length < count) {
      if (this.ended) throw new Error(`stream ended; saw ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; saw ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return found();
  }

  /** Waits for the server to end the stream. */
  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the stream did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private describe(): string {
    return JSON.stringify(this.events.map((e) => `${e.id} ${e.event}`));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async read(markReady: () => void): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let block = { event: '', data: [] as string[] };
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.search(/\r\n|\r|\n/); end >= 0; end = buffer.search(/\r\n|\r|\n/)) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
          if (line === '') {
            if (block.data.length > 0)
              this.events.push({
                id: this.lastEventId,
                event: block.event || 'message',
                data: block.data.join('\n'),
                at: performance.now(),
              });
            block = { event: '', data: [] };
            markReady();
            this.wake();
            continue;
          }
          if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
            this.wake();
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'event') block.event = value;
          else if (field === 'data') block.data.push(value);
          else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
        }
      }
    } catch {
      // Aborted by close(), or the connection was cut: either way the stream is over.
    }
    this.ended = true;
    markReady();
    this.wake();
  }
}
