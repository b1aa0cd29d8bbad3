// holodule collect: one collection now, from the schedule page(s) (and YouTube) into the store; prints the counts.
import pino from 'pino';
import type { CollectProgress, CollectResult } from '../collector/collect.js';
import { withStore } from './command-context.js';
import { UsageError } from './usage-error.js';

export async function collectCommand(args: string[]): Promise<void> {
  if (args.length > 0)
    throw new UsageError(
      'usage: holodule collect   (pages: HOLODULE_URL; titles: YOUTUBE_API_KEY; see docs/collector.md)',
    );
  const progress = process.stderr.isTTY ? new ProgressLine() : null;
  const result = await withStore(async ({ config, collector }) => {
    // The summary line says what info-level logs would; ask for them with HOLODULE_LOG_LEVEL. Logs go to stderr.
    const level = process.env.HOLODULE_LOG_LEVEL ? config.logLevel : 'warn';
    const log = pino({ level, base: { service: 'holodule' } }, progress ?? pino.destination(2));
    return (await collector(log)).collect({ onProgress: (p) => progress?.show(p) });
  });
  progress?.clear();
  console.log(summary(result));
  for (const page of result.pages) if (page.error) console.error(`holodule: ${page.url} not collected: ${page.error}`);
  // Counts are printed either way; the exit code tells scripts that a page could not be read.
  if (result.failed > 0) process.exitCode = 1;
}

export function summary(r: CollectResult): string {
  return (
    `collected: ${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.failed} failed` +
    ` (${r.moved} moved to a new time, ${r.marked} marked gone from the page)`
  );
}

/** One status line on the terminal; log lines are written above it, and it is drawn again below them. */
class ProgressLine {
  private text = '';

  show(p: CollectProgress): void {
    this.text =
      p.step === 'page'
        ? `reading page ${p.index + 1}/${p.total}: ${p.url}`
        : p.step === 'youtube'
          ? `asking YouTube about ${p.ids} videos`
          : p.step === 'list'
            ? 'reading the schedule list for titles'
            : `storing ${p.streams} streams`;
    this.draw();
  }

  /** pino's destination: a log line replaces the status line, which is drawn again after it. */
  write(line: string): void {
    process.stderr.write(`\r\x1b[K${line}`);
    this.draw();
  }

  clear(): void {
    process.stderr.write('\r\x1b[K');
  }

  private draw(): void {
    process.stderr.write(`\r\x1b[K${this.text.slice(0, (process.stderr.columns || 80) - 1)}`);
  }
}
