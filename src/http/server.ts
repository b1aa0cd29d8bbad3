// Starts holodule: store, secret, hasher, first-run data, app, listen. Stopping closes them in reverse.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createPasswordHasher } from '../auth/passwords.js';
import { resolveSigningSecret } from '../auth/signing-secret.js';
import { startAuthMaintenance } from '../auth/auth-maintenance.js';
import { loadKeyring } from '../auth/keyring.js';
import { createTokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { createCollector } from '../collector/collect.js';
import { startCollectScheduler, type CollectScheduler } from '../collector/collect-scheduler.js';
import { initialiseNewDatabase } from '../domain/first-run.js';
import { instrumentCollector } from '../metrics/instrument-collector.js';
import { instrumentStore } from '../metrics/instrument-store.js';
import { type MetricsListener, startMetricsListener } from '../metrics/metrics-listener.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { openStore } from '../store/open-store.js';
import { registerServer } from '../store/sqlite/servers-using.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { createLogger, isPrettyLog } from './logger.js';

export { createLogger } from './logger.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** Background collection (off when HOLODULE_COLLECT_INTERVAL=0). */
  collector: CollectScheduler;
  metrics: Metrics;
  /** The separate /metrics listener's URL (HOLODULE_METRICS_ADDRESS), if any. */
  metricsUrl: string | undefined;
  /**
   * Marks the server draining (/readyz answers 503), waits HOLODULE_SHUTDOWN_DELAY_MS, stops collecting,
   * finishes in-flight requests, then closes the database. Called again, it skips what is left of the delay.
   */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger = createLogger(config)): Promise<RunningServer> {
  const signing = resolveSigningSecret(config);
  // While MongoDB is unreachable at start-up, one warning per retry instead of a crash loop.
  const metrics = createMetrics();
  const store = instrumentStore(await openStore(config, { log: (line) => log.warn(line) }), metrics);
  let metricsListener: MetricsListener | undefined;
  // While it serves, `holodule restore` refuses to replace the file under it.
  const unregister = store.kind === 'sqlite' ? registerServer(config.sqlitePath) : () => {};
  try {
    const passwords = await createPasswordHasher(config.passwords);
    if (signing?.source === 'generated') {
      log.warn(
        { path: signing.path },
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
    if (store instanceof SqliteStore && store.info.created) {
      const firstRun = await initialiseNewDatabase({
        store,
        hasher: passwords,
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
    const keyring = await loadKeyring({ jwt: config.jwt, store, secret: signing?.secret });
    const tokens = createTokenService(config.jwt, keyring);
    const app = await buildApp({
      config,
      store,
      passwords,
      tokens,
      keyring,
      metrics,
      logger: log,
      oneLinePerRequest: isPrettyLog(config, process.stdout.isTTY === true),
    });
    const maintenance = startAuthMaintenance(store, keyring, config, log);
    app.addHook('onClose', async () => maintenance.stop());
    metricsListener = await startMetricsListener(config.metrics, metrics);
    const url = await app.listen({ host: config.host, port: config.port });
    log.info(
      { url, store: store.kind, algorithm: config.jwt.algorithm, kid: keyring.signing().kid },
      'holodule is serving',
    );
    const collector = startCollectScheduler({
      store,
      config: config.collector,
      log,
      collector: instrumentCollector(
        createCollector({
          store,
          config: config.collector,
          log,
          onQuotaUsed: (units) => metrics.youtubeQuotaUnits.inc(units),
        }),
        metrics,
      ),
    });
    const listener = metricsListener;
    let closing: Promise<void> | undefined;
    let endDelay = () => {};
    return {
      app,
      store,
      url,
      collector,
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
          await collector.stop();
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
