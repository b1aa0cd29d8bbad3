// Starts holodule: store, secret, hasher, first-run data, app, listen. Stopping closes them in reverse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { openStore } from '../store/open-store.js';
import { registerServer } from '../store/sqlite/servers-using.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { buildApp } from './app.js';
import { createLogger, isPrettyLog } from './logger.js';
import { bearerMatches } from './plugins/metrics.js';

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
  /** Stops collecting, finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

/** HOLODULE_METRICS_ADDRESS: /metrics alone on its own address (and still behind the token when one is set). */
async function startMetricsListener(config: Config, metrics: Metrics): Promise<Server | undefined> {
  const address = config.metrics.address;
  if (!address) return undefined;
  const token = config.metrics.token;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"Not found"}');
      return;
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res
        .writeHead(401, {
          'content-type': 'application/json; charset=utf-8',
          'www-authenticate': 'Bearer realm="metrics"',
        })
        .end('{"error":"Unauthorized"}');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return server;
}

export async function startServer(config: Config, log: Logger = createLogger(config)): Promise<RunningServer> {
  const signing = resolveSigningSecret(config);
  // While MongoDB is unreachable at start-up, one warning per retry instead of a crash loop.
  const metrics = createMetrics();
  const store = instrumentStore(await openStore(config, { log: (line) => log.warn(line) }), metrics);
  let metricsListener: Server | undefined;
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
    const url = await app.listen({ host: config.host, port: config.port });
    log.info(
      { url, store: store.kind, algorithm: config.jwt.algorithm, kid: keyring.signing().kid },
      'holodule is serving',
    );
    metricsListener = await startMetricsListener(config, metrics);
    const metricsAddress = metricsListener?.address() as AddressInfo | undefined;
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
    return {
      app,
      store,
      url,
      collector,
      metrics,
      metricsUrl: metricsAddress ? `http://${config.metrics.address!.host}:${metricsAddress.port}/metrics` : undefined,
      async close() {
        await collector.stop();
        await app.close();
        await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
        await store.close();
        unregister();
      },
    };
  } catch (err) {
    metricsListener?.close();
    await store.close();
    unregister();
    throw err;
  }
}
