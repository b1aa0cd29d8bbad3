// holodule collect: one collection now, from the schedule page(s) (and YouTube) into the store; prints the counts.
import pino from 'pino';
import { createCollector, type CollectProgress, type CollectResult } from '../collector/collect.js';
import { withStore } from './command-context.js';
import { UsageError } from './usage-error.js';

export async function collectCommand(args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError('usage: holodule collect   (pages: HOLODULE_URL; titles: YOUTUBE_API_KEY; see docs/collector.md)');
  const progress = process.stderr.isTTY ? showProgress : undefined;
  const result = await withStore(({ config, store }) => {
    // Logs go to stderr so stdout holds only the summary.
    const log = pino({ level: config.logLevel, base: { service: 'holodule' } }, pino.destination(2));
    return createCollector({ store, config: config.collector, log }).collect({ onProgress: progress });
  });
  if (progress) process.stderr.write('\r\x1b[K');
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

function showProgress(p: CollectProgress): void {
  const text =
    p.step === 'page'
      ? `reading page ${p.index + 1}/${p.total}: ${p.url}`
      : p.step === 'youtube'
        ? `asking YouTube about ${p.ids} videos`
        : p.step === 'list'
          ? 'reading the schedule list for titles'
          : `storing ${p.streams} streams`;
  process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 80) - 1)}`);
}
