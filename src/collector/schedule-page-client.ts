// Fetches one schedule page and parses it; a page cut short is retried like a network failure.
import { expectOk, getText, RequestError, safeUrl, withRetries, type RequestPolicy } from './http-get.js';
import type { ParsedSchedule } from './parse-schedule-page.js';

export async function fetchSchedulePage(
  url: string,
  policy: RequestPolicy,
  now: () => Date,
  signal?: AbortSignal,
): Promise<ParsedSchedule> {
  const html = await withRetries(
    async () => {
      const { body } = expectOk(url, await getText(url, policy, { signal, headers: { accept: 'text/html' } }));
      // A connection dropped mid-page can still look like a whole answer; the page always ends with </html>.
      if (!/<\/html\s*>/i.test(body))
        throw new RequestError(`${safeUrl(url)}: the page ends before </html> (cut short)`, true);
      return body;
    },
    policy,
    signal,
  );
  // The HTML parser (cheerio) is loaded by the first page read, not by every process that could collect.
  const { parseSchedulePage } = await import('./parse-schedule-page.js');
  return parseSchedulePage(html, now());
}
