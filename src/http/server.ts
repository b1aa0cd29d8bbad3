// Builds the app and listens. bootstrap.ts composes what it runs on; the background jobs it is given start when
// the app is ready and stop when it closes.
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from './app.js';

export { createLogger } from './logger.js';

/** Work that runs beside the app for as long as it serves (collection, auth upkeep). */
export interface BackgroundJob {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Builds the app and listens on HOST:PORT, answering its URL. With `listen: false` it only makes the app ready
 * (background jobs started) and answers the URL '': the caller reaches it by `app.inject`, as the fast tests do.
 */
export async function serveApp(
  deps: AppDeps,
  jobs: readonly BackgroundJob[] = [],
  options: { listen?: boolean } = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(deps);
  for (const job of jobs) {
    app.addHook('onReady', async () => job.start());
    app.addHook('onClose', async () => job.stop());
  }
  if (options.listen === false) {
    await app.ready();
    return { app, url: '' };
  }
  const url = await app.listen({ host: deps.config.host, port: deps.config.port });
  return { app, url };
}
