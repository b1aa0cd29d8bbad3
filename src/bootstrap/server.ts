// The composition root of `holodule serve`: store, signing keys, password hasher, metrics, maintenance jobs and the
// collector (command.ts is the CLI commands' own, lighter one). http/ only builds the Fastify app and listens;
// the background jobs start and stop with the app's lifecycle.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startAuthMaintenance } from '../auth/auth-maintenance.js';
import { loadKeyring } from '../auth/keyring.js';
import { createPasswordHasher, type PasswordHasher } from '../auth/passwords.js';
import { resolveSigningSecret } from '../auth/signing-secret.js';
import { createTokenService } from '../auth/tokens.js';
import { type CollectScheduler, startCollectScheduler } from '../collector/collect-scheduler.js';
import { type Collector, createCollector } from '../collector/collect.js';
import type { Config } from '../config.js';
import { initialiseNewDatabase } from '../domain/first-run.js';
import { createLogger, isPrettyLog } from '../http/logger.js';
import { type BackgroundJob, serveApp } from '../http/server.js';
import { instrumentCollector } from '../metrics/instrument-collector.js';
import { instrumentStore } from '../metrics/instrument-store.js';
import { type MetricsListener, startMetricsListener } from '../metrics/metrics-listener.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { isNewDatabase, openStore } from '../store/open-store.js';
import { registerServer } from '../store/sqlite/servers-using.js';
import type { Store } from '../store/types.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** Where it listens; '' when started with `listen: false` (reached by `app.inject` only). */
  url: string;
  /** Background collection (off when HOLODULE_COLLECT_INTERVAL=0). */
  collector: CollectScheduler;
  metrics: Metrics;
  /** The separate /metrics listener's URL (HOLODULE_METRICS_ADDRESS), if any. */
  metricsUrl: string | undefined;
  /**
   * Marks the server draining (/readyz answers 503), waits HOLODULE_SHUTDOWN_DELAY_MS, then closes the app
   * (in-flight requests finish; collection and maintenance stop with it), then the database. Called again, it
   * skips what is left of the delay.
   */
  close(): Promise<void>;
}

/**
 * `holodule serve`: store, secret, hasher, first-run data, app, background jobs, listen. Closing undoes it.
 * `listen: false` does all of it but listen (the fast tests reach the app by `app.inject`).
 */
export async function startServer(
  config: Config,
  log: Logger = createLogger(config),
  options: { listen?: boolean } = {},
): Promise<RunningServer> {
  const signing = resolveSigningSecret(config);
  const metrics = createMetrics();
  // While MongoDB is unreachable at start-up, one warning per retry instead of a crash loop.
  const opened = await openStore(config, { log: (line) => log.warn(line) });
  const store = instrumentStore(opened, metrics);
  let metricsListener: MetricsListener | undefined;
  // While it serves, `holodule restore` refuses to replace the file under it.
  const unregister = store.kind === 'sqlite' ? registerServer(config.sqlitePath) : () => {};
  try {
    // Built now, not on first use: the first login must cost what every other one costs.
    const passwords = await createPasswordHasher(config.passwords);
    warnAboutSettings(config, log, signing?.source === 'generated' ? signing.path : undefined);
    if (isNewDatabase(opened)) await initialise(config, store, passwords, log);
    const keyring = await loadKeyring({ jwt: config.jwt, store, secret: signing?.secret });
    const tokens = createTokenService(config.jwt, keyring);

    let collector: CollectScheduler | undefined;
    const maintenance = background(() => startAuthMaintenance(store, keyring, config, log));
    const collection: BackgroundJob = {
      start() {
        collector = startCollectScheduler({
          store,
          config: config.collector,
          log,
          collector: instrumentCollector(
            makeCollector(store, config, log, (units) => metrics.youtubeQuotaUnits.inc(units)),
            metrics,
          ),
        });
      },
      stop: async () => collector?.stop(),
    };
    const { app, url } = await serveApp(
      {
        config,
        store,
        passwords,
        tokens,
        keyring,
        metrics,
        logger: log,
        oneLinePerRequest: isPrettyLog(config, process.stdout.isTTY === true),
      },
      [collection, maintenance],
      options,
    );
    metricsListener = await startMetricsListener(config.metrics, metrics);
    log.info(
      { url, store: store.kind, algorithm: config.jwt.algorithm, kid: keyring.signing().kid },
      'holodule is serving',
    );
    const listener = metricsListener;
    let closing: Promise<void> | undefined;
    let endDelay = () => {};
    return {
      app,
      store,
      url,
      // onReady has run by the time listen() resolves.
      collector: collector!,
      metrics,
      metricsUrl: listener?.url,
      close() {
        if (closing) {
          endDelay();
          return closing;
        }
        // /readyz fails first; everything else serves on through the delay, then in-flight requests finish.
        app.lifecycle.draining = true;
        closing = (async () => {
          if (config.shutdownDelayMs > 0) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, config.shutdownDelayMs);
              endDelay = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          await collector?.stop();
          await app.close();
          await listener?.close();
          await store.close();
          unregister();
        })();
        return closing;
      },
    };
  } catch (err) {
    await metricsListener?.close();
    await store.close();
    unregister();
    throw err;
  }
}

const background = (start: () => { stop(): void }): BackgroundJob => {
  let running: { stop(): void } | undefined;
  return {
    start() {
      running = start();
    },
    stop() {
      running?.stop();
      running = undefined;
    },
  };
};

const makeCollector = (store: Store, config: Config, log: Logger, onQuotaUsed: (units: number) => void): Collector =>
  createCollector({ store, config: config.collector, log, onQuotaUsed });

function warnAboutSettings(config: Config, log: Logger, generatedSecretPath: string | undefined): void {
  if (generatedSecretPath !== undefined) {
    log.warn(
      { path: generatedSecretPath },
      'JWT_SECRET_KEY is not set: generated a signing secret and kept it in the data directory',
    );
  }
  if (config.trustProxy === true) {
    log.warn(
      'HOLODULE_TRUST_PROXY=true believes X-Forwarded-For from anyone: any client can then pick its own address ' +
        '(a fresh login-throttle budget, a false audit trail). Set it to your proxy addresses or CIDR ranges instead, ' +
        'e.g. HOLODULE_TRUST_PROXY=10.0.0.5 or 10.0.0.0/8',
    );
  }
}

/** A database made just now: its first user (and the sample day), said loudly in the log. */
async function initialise(config: Config, store: Store, hasher: PasswordHasher, log: Logger): Promise<void> {
  const firstRun = await initialiseNewDatabase({
    store,
    hasher,
    dataDir: config.dataDir,
    seedSample: config.sampleData,
  });
  if (firstRun.admin) {
    log.warn(
      { username: firstRun.admin.username, passwordFile: firstRun.admin.passwordFile },
      `new database: created user "${firstRun.admin.username}" with password ${firstRun.admin.password} ` +
        `(also in ${firstRun.admin.passwordFile}; change it with: holodule user passwd ${firstRun.admin.username})`,
    );
  }
  if (firstRun.sampleStreams > 0) {
    log.warn(
      { streams: firstRun.sampleStreams },
      'new database: seeded a sample schedule for 2020-12-09 (HOLODULE_SAMPLE_DATA=false to skip)',
    );
  }
}
