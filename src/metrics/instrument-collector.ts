// Counts and times collect runs: the collector itself knows nothing of metrics.
import type { Collector } from '../collector/collect.js';
import type { Metrics } from './metrics.js';

export function instrumentCollector(collector: Collector, metrics: Metrics): Collector {
  return {
    async collect(options) {
      const end = metrics.collectorDuration.startTimer();
      try {
        const result = await collector.collect(options);
        end();
        metrics.collectorRuns.inc({ outcome: result.failed > 0 ? 'partial' : 'ok' });
        metrics.collectorStreams.inc({ change: 'added' }, result.new);
        metrics.collectorStreams.inc({ change: 'updated' }, result.updated);
        metrics.collectorStreams.inc({ change: 'moved' }, result.moved);
        metrics.collectorStreams.inc({ change: 'vanished' }, result.marked);
        return result;
      } catch (err) {
        end();
        metrics.collectorRuns.inc({ outcome: 'failed' });
        throw err;
      }
    },
  };
}
