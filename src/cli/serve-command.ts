// holodule serve: run the API until SIGTERM or SIGINT, then finish in-flight requests and exit 0.
import { loadConfig } from '../config.js';
import { startServer } from '../bootstrap/server.js';
import { createLogger } from '../http/logger.js';
import { UsageError } from './usage-error.js';
import { releaseOptimizingCompilers } from './optimizing-compiler.js';
import { letYoungGenerationGrow } from './young-generation.js';

export async function serveCommand(args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError('usage: holodule serve   (settings come from the environment and .env)');
  const config = loadConfig();
  const log = createLogger(config);
  const server = await startServer(config, log);
  letYoungGenerationGrow();
  releaseOptimizingCompilers();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.info({ signal }, 'stopping now: no more waiting for the shutdown delay');
      void server.close();
      return;
    }
    stopping = true;
    log.info(
      { signal, delayMs: config.shutdownDelayMs },
      config.shutdownDelayMs > 0
        ? 'stopping: /readyz answers 503 during the shutdown delay, then in-flight requests finish'
        : 'stopping: finishing in-flight requests',
    );
    const timer = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownDelayMs + config.shutdownTimeoutMs);
    timer.unref();
    server.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
