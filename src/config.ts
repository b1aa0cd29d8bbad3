// One typed config, read once from the environment and an optional `.env` file (the environment wins).
// The original's names are accepted as they were; everything of ours is HOLODULE_*.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { authPathsProblem } from './http/path-rule.js';

export type StoreKind = 'sqlite' | 'mongodb';
export const SUPPORTED_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'EdDSA', 'ES256'] as const;
export type JwtAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export interface Config {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Whose `X-Forwarded-For` to believe: the proxies' addresses or CIDR ranges (the client is then the
   * right-most untrusted hop), `false` (nobody's), or `true` (anybody's: any client can choose its address).
   */
  trustProxy: boolean | string[];
  /** auto: pretty, coloured lines on an interactive terminal, JSON otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  metrics: {
    /** Bearer token GET /metrics requires; undefined: no /metrics on the API's port. */
    token: string | undefined;
    /** A separate listener for /metrics only (host and port), e.g. on a private interface. */
    address: { host: string; port: number } | undefined;
  };
  dataDir: string;
  /** The built web page (index.html, assets/); undefined: dist/web in the package. */
  webRoot: string | undefined;
  store: StoreKind;
  sqlitePath: string;
  /** How long a write waits while another process holds the SQLite file's lock, before it is answered 503. */
  sqliteBusyTimeoutMs: number;
  /** Seed a clearly marked sample schedule and a first admin into a brand-new embedded database. */
  sampleData: boolean;
  mongo: {
    url: string | undefined;
    host: string | undefined;
    user: string | undefined;
    password: string | undefined;
    database: string;
    /** Longest a request waits on MongoDB before it is answered 503 (also the driver's selection/connect timeouts). */
    timeoutMs: number;
    /** True when HOLODULE_MONGODB_TIMEOUT_MS was set: it then wins over timeouts given in the URL. */
    timeoutExplicit: boolean;
  };
  jwt: {
    /** Undefined: the embedded default generates one and keeps it in the data directory. */
    secret: string | undefined;
    allowWeakSecret: boolean;
    algorithm: JwtAlgorithm;
    leewaySeconds: number;
    expirationSeconds: number;
    notBeforeSeconds: number;
    authUrlRule: string;
    refreshExpirationSeconds: number;
    issuer: string | undefined;
    audience: string | undefined;
    /** How often an instance re-reads the keys from the store (to pick up a rotation made elsewhere). */
    keysRefreshSeconds: number;
  };
  throttle: {
    /** Failed logins per account in the window before each further attempt must wait (growing delays). */
    accountFailures: number;
    /** Failed logins per client address in the window before it is refused until the window ends. */
    addressFailures: number;
    windowSeconds: number;
    maxDelaySeconds: number;
  };
  passwords: {
    upgradeLegacy: boolean;
    minLength: number;
    argon2MemoryKiB: number;
    argon2Iterations: number;
    argon2Parallelism: number;
  };
  shutdownTimeoutMs: number;
  /** After SIGTERM, how long /readyz answers 503 while everything else still serves (for a load balancer to notice). */
  shutdownDelayMs: number;
  /** The longest /readyz takes to check the store. */
  readyTimeoutMs: number;
  collector: CollectorConfig;
  http: HttpConfig;
  events: EventsConfig;
  /** Calendar feeds (docs/calendar-feeds.md). */
  calendar: CalendarConfig;
}

export interface CalendarConfig {
  /** Days before now whose streams a feed shows. */
  pastDays: number;
  /** Days after now whose streams a feed shows. */
  futureDays: number;
  /** How long a stream that has not ended lasts in a calendar, in minutes. */
  defaultMinutes: number;
}

/** GET /api/v2/events (docs/events.md). */
export interface EventsConfig {
  /** How often each instance reads the change log for new changes. */
  pollMs: number;
  /** How often an idle stream gets a `: ping` comment (proxies close silent connections). */
  heartbeatMs: number;
  /** Streams one user (or one address, when anonymous) may hold open on one instance. */
  maxPerUser: number;
  /** How long an events ticket lasts. */
  ticketSeconds: number;
  /** What a client may leave unread before it is dropped. */
  maxBufferedBytes: number;
}

/** HTTP caching, CORS and anonymous reads (docs/http-caching-cors-public.md). */
export interface HttpConfig {
  /** `Cache-Control: max-age` of successful GETs, in seconds; 0: `no-cache` (every use revalidates). */
  cacheMaxAgeSeconds: number;
  /** Origins allowed to call the API from a browser; `*`: any; empty: no CORS headers at all. */
  corsOrigins: string[] | '*';
  /** Reads (routes guarded by requireReader) open to anonymous clients. */
  publicRead: boolean;
  /** Anonymous reads per client address per minute when public; 0: unlimited. */
  publicReadLimit: number;
}

export interface CollectorConfig {
  /** The schedule pages to read (HOLODULE_URL, comma-separated). */
  pageUrls: string[];
  /** The site's JSON list, for titles when YouTube gives none; undefined: not used. */
  listUrl: string | undefined;
  /** YOUTUBE_API_KEY, or the original's API_KEY; undefined: no YouTube enrichment. */
  youtubeApiKey: string | undefined;
  youtubeApiUrl: string;
  /** Between background runs of `holodule serve`; 0: no background collection. */
  intervalMs: number;
  /** Each HTTP request's whole time, body included. */
  timeoutMs: number;
  /** Further attempts after a failed request (network error, timeout, 5xx, 429). */
  retries: number;
  /** The first retry's delay; it doubles for each further retry. */
  retryDelayMs: number;
  /** How long the change log (GET /api/v2/events) keeps a change. */
  changeRetentionMs: number;
  /** The most changes the log keeps, newest first. */
  changeLogMaxEntries: number;
}

/** A config problem: one line naming the variable and what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const OWASP_MIN_MEMORY_KIB = 19456;
const OWASP_MIN_ITERATIONS = 2;
const MIN_SECRET_BYTES = 32;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

// The names Fastify's trustProxy (proxy-addr) knows beside addresses: 127.0.0.0/8 and ::1, link-local, private.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length (10.0.0.0/8, fd00::/8), or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function trustedProxies(env: Env, name: string): boolean | string[] {
  const raw = text(env, name);
  if (raw === undefined) return false;
  if (['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'].includes(raw.toLowerCase())) {
    return boolean(env, name, false);
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !isProxyAddress(entry));
  if (invalid !== undefined) {
    throw new ConfigError(
      name,
      `expected proxy addresses or CIDR ranges separated by commas (10.0.0.5,192.168.0.0/16), true or false; "${invalid}" is none of these`,
    );
  }
  return entries;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!found) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return found;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  return url.toString();
}

/** A duration: plain minutes (the page refreshes every 15), or with a unit: 90s, 15m, 1h. */
function minutes(env: Env, name: string, fallbackMinutes: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallbackMinutes * 60_000;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$/i.exec(raw);
  if (!match) throw new ConfigError(name, `expected minutes (15) or a duration (90s, 15m, 1h), got "${raw}"`);
  const unit = (match[2] ?? 'm').toLowerCase();
  const ms = Math.round(Number(match[1]) * (unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : 60_000));
  if (ms !== 0 && ms < 10_000) throw new ConfigError(name, `expected 0 (off) or at least 10 seconds, got "${raw}"`);
  if (ms > 7 * 86_400_000) throw new ConfigError(name, `expected at most a week, got "${raw}"`);
  return ms;
}

function collectorConfig(env: Env): CollectorConfig {
  const pages = (text(env, 'HOLODULE_URL') ?? 'https://schedule.hololive.tv/')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (pages.length === 0) throw new ConfigError('HOLODULE_URL', 'expected at least one schedule page URL');
  const list = text(env, 'HOLODULE_LIST_URL') ?? 'https://schedule.hololive.tv/api/list';
  return {
    pageUrls: pages.map((u) => httpUrl('HOLODULE_URL', u)),
    listUrl: list.toLowerCase() === 'off' ? undefined : httpUrl('HOLODULE_LIST_URL', list),
    youtubeApiKey: text(env, 'YOUTUBE_API_KEY') ?? text(env, 'API_KEY'),
    youtubeApiUrl: httpUrl(
      'HOLODULE_YOUTUBE_API_URL',
      text(env, 'HOLODULE_YOUTUBE_API_URL') ?? 'https://www.googleapis.com/youtube/v3',
    ),
    intervalMs: minutes(env, 'HOLODULE_COLLECT_INTERVAL', 15),
    timeoutMs: integer(env, 'HOLODULE_COLLECT_TIMEOUT_MS', 20_000, 100, 600_000),
    retries: integer(env, 'HOLODULE_COLLECT_RETRIES', 3, 0, 10),
    retryDelayMs: integer(env, 'HOLODULE_COLLECT_RETRY_DELAY_MS', 2_000, 0, 600_000),
    changeRetentionMs: integer(env, 'HOLODULE_EVENTS_RETENTION_HOURS', 7 * 24, 1, 365 * 24) * 3_600_000,
    changeLogMaxEntries: integer(env, 'HOLODULE_EVENTS_MAX_ENTRIES', 10_000, 1, 10_000_000),
  };
}

/** `*`, or comma-separated origins (scheme://host[:port]), each normalised as browsers send it. */
function corsOrigins(env: Env): string[] | '*' {
  const raw = text(env, 'HOLODULE_CORS_ORIGINS');
  if (raw === undefined) return [];
  if (raw === '*') return '*';
  const expected = 'expected * or comma-separated origins like https://app.example.com (no path)';
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((origin) => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    const isOrigin =
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === '' &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === '' &&
      !origin.endsWith('?') &&
      !origin.endsWith('#');
    if (!isOrigin) throw new ConfigError('HOLODULE_CORS_ORIGINS', `${expected}, got "${origin}"`);
    return url!.origin;
  });
}

function httpConfig(env: Env): HttpConfig {
  return {
    cacheMaxAgeSeconds: integer(env, 'HOLODULE_CACHE_MAX_AGE', 60, 0, 86400),
    corsOrigins: corsOrigins(env),
    publicRead: boolean(env, 'HOLODULE_PUBLIC_READ', false),
    publicReadLimit: integer(env, 'HOLODULE_PUBLIC_READ_LIMIT', 60, 0, 1_000_000),
  };
}

function calendarConfig(env: Env): CalendarConfig {
  return {
    pastDays: integer(env, 'HOLODULE_CALENDAR_PAST_DAYS', 7, 0, 366),
    futureDays: integer(env, 'HOLODULE_CALENDAR_FUTURE_DAYS', 14, 1, 366),
    defaultMinutes: integer(env, 'HOLODULE_CALENDAR_DEFAULT_MINUTES', 120, 1, 1440),
  };
}

/** Reads `.env` from `dir` when present; variables already in `env` are kept. */
export function withDotEnv(env: Env, dir = process.cwd()): Env {
  let content: string;
  try {
    content = readFileSync(resolve(dir, '.env'), 'utf8');
  } catch {
    return env;
  }
  return { ...parseEnv(content), ...env };
}

export function loadConfig(env: Env = withDotEnv(process.env)): Config {
  const dataDir = resolve(text(env, 'HOLODULE_DATA_DIR') ?? './data');
  const hasMongo = text(env, 'MONGODB_URL') !== undefined || text(env, 'MONGODB_HOST') !== undefined;
  const store = oneOf<StoreKind>(env, 'HOLODULE_STORE', ['sqlite', 'mongodb'], hasMongo ? 'mongodb' : 'sqlite');

  const secret = env.JWT_SECRET_KEY === undefined || env.JWT_SECRET_KEY === '' ? undefined : env.JWT_SECRET_KEY;
  const allowWeakSecret = boolean(env, 'HOLODULE_ALLOW_WEAK_SECRET', false);
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES && !allowWeakSecret) {
    throw new ConfigError(
      'JWT_SECRET_KEY',
      `is ${Buffer.byteLength(secret, 'utf8')} bytes; an HS256 key needs at least ${MIN_SECRET_BYTES} (RFC 8725). ` +
        'Unset it to have one generated, or set HOLODULE_ALLOW_WEAK_SECRET=true to accept it',
    );
  }

  const authUrlRule = text(env, 'JWT_AUTH_URL_RULE') ?? '/auth';
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(authUrlRule)) {
    throw new ConfigError('JWT_AUTH_URL_RULE', `expected a path like /auth, got "${authUrlRule}"`);
  }
  const shadowsPage = authPathsProblem(authUrlRule);
  if (shadowsPage !== null) throw new ConfigError('JWT_AUTH_URL_RULE', shadowsPage);

  const mongo = mongoSettings(env, store);

  return {
    host: text(env, 'HOST') ?? '127.0.0.1',
    port: integer(env, 'PORT', 5000, 0, 65535),
    logLevel: oneOf(env, 'HOLODULE_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    trustProxy: trustedProxies(env, 'HOLODULE_TRUST_PROXY'),
    logFormat: oneOf(env, 'HOLODULE_LOG_FORMAT', ['auto', 'pretty', 'json'], 'auto'),
    metrics: metricsSettings(env),
    dataDir,
    webRoot: text(env, 'HOLODULE_WEB_ROOT') === undefined ? undefined : resolve(text(env, 'HOLODULE_WEB_ROOT')!),
    store,
    sqlitePath: resolve(dataDir, text(env, 'HOLODULE_SQLITE_PATH') ?? 'holodule.sqlite'),
    sqliteBusyTimeoutMs: integer(env, 'HOLODULE_SQLITE_BUSY_TIMEOUT_MS', 5000, 0, 600000),
    sampleData: boolean(env, 'HOLODULE_SAMPLE_DATA', true),
    mongo,
    jwt: {
      secret,
      allowWeakSecret,
      algorithm: oneOf(env, 'JWT_ALGORITHM', SUPPORTED_ALGORITHMS, 'HS256'),
      leewaySeconds: integer(env, 'JWT_LEEWAY', 0, 0, 3600),
      expirationSeconds: integer(env, 'JWT_EXPIRATION_DELTA', 300, 1, 86400 * 30),
      notBeforeSeconds: integer(env, 'JWT_NOT_BEFORE_DELTA', 0, 0, 86400),
      authUrlRule,
      refreshExpirationSeconds: integer(env, 'HOLODULE_REFRESH_EXPIRATION_DELTA', 14 * 86400, 60, 365 * 86400),
      issuer: text(env, 'HOLODULE_JWT_ISSUER'),
      audience: text(env, 'HOLODULE_JWT_AUDIENCE'),
      keysRefreshSeconds: integer(env, 'HOLODULE_KEYS_REFRESH_SECONDS', 30, 1, 3600),
    },
    throttle: {
      accountFailures: integer(env, 'HOLODULE_LOGIN_ACCOUNT_FAILURES', 5, 1, 1000),
      addressFailures: integer(env, 'HOLODULE_LOGIN_ADDRESS_FAILURES', 50, 1, 100000),
      windowSeconds: integer(env, 'HOLODULE_LOGIN_WINDOW', 900, 1, 86400),
      maxDelaySeconds: integer(env, 'HOLODULE_LOGIN_MAX_DELAY', 900, 1, 86400),
    },
    passwords: {
      upgradeLegacy: boolean(env, 'HOLODULE_UPGRADE_LEGACY_PASSWORDS', true),
      minLength: integer(env, 'HOLODULE_PASSWORD_MIN_LENGTH', 8, 1, 128),
      argon2MemoryKiB: integer(
        env,
        'HOLODULE_ARGON2_MEMORY_KIB',
        OWASP_MIN_MEMORY_KIB,
        OWASP_MIN_MEMORY_KIB,
        4 * 1024 * 1024,
      ),
      argon2Iterations: integer(env, 'HOLODULE_ARGON2_ITERATIONS', OWASP_MIN_ITERATIONS, OWASP_MIN_ITERATIONS, 100),
      argon2Parallelism: integer(env, 'HOLODULE_ARGON2_PARALLELISM', 1, 1, 16),
    },
    shutdownTimeoutMs: integer(env, 'HOLODULE_SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    shutdownDelayMs: integer(env, 'HOLODULE_SHUTDOWN_DELAY_MS', 0, 0, 600000),
    readyTimeoutMs: integer(env, 'HOLODULE_READY_TIMEOUT_MS', 1000, 10, 60000),
    collector: collectorConfig(env),
    http: httpConfig(env),
    events: {
      pollMs: integer(env, 'HOLODULE_EVENTS_POLL_MS', 1000, 10, 60_000),
      heartbeatMs: integer(env, 'HOLODULE_EVENTS_HEARTBEAT_MS', 15_000, 10, 600_000),
      maxPerUser: integer(env, 'HOLODULE_EVENTS_MAX_PER_USER', 5, 1, 10_000),
      ticketSeconds: integer(env, 'HOLODULE_EVENTS_TICKET_SECONDS', 60, 1, 3600),
      maxBufferedBytes: integer(env, 'HOLODULE_EVENTS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    },
    calendar: calendarConfig(env),
  };
}

const MIN_METRICS_TOKEN_LENGTH = 16;

function metricsSettings(env: Env): Config['metrics'] {
  const token = text(env, 'HOLODULE_METRICS_TOKEN');
  if (token !== undefined && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token))) {
    throw new ConfigError(
      'HOLODULE_METRICS_TOKEN',
      `expected at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`,
    );
  }
  const raw = text(env, 'HOLODULE_METRICS_ADDRESS');
  if (raw === undefined) return { token, address: undefined };
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(raw);
  // Port 0: any free port (for tests).
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new ConfigError('HOLODULE_METRICS_ADDRESS', `expected host:port (e.g. 127.0.0.1:9464), got "${raw}"`);
  }
  return { token, address: { host: (match[1] ?? match[2])!, port } };
}

// MongoDB's rules for database names, minus what would make a file name or shell quoting awkward.
const MONGO_DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/** The database a MongoDB connection string names in its path, if any. */
export function mongoUrlDatabase(url: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

function mongoSettings(env: Env, store: StoreKind): Config['mongo'] {
  const url = text(env, 'MONGODB_URL');
  const host = text(env, 'MONGODB_HOST');
  const user = text(env, 'MONGODB_USER');
  const password = env.MONGODB_PASSWORD === '' ? undefined : env.MONGODB_PASSWORD;
  // As MongoDB's own tools read a connection string: its path names the database.
  const database = text(env, 'HOLODULE_MONGODB_DATABASE') ?? (url ? mongoUrlDatabase(url) : undefined) ?? 'holoduledb';
  if (url !== undefined && !/^mongodb(\+srv)?:\/\/[^/?]+/.test(url)) {
    throw new ConfigError('MONGODB_URL', 'expected a connection string like mongodb://host:27017/?replicaSet=rs0');
  }
  // One way to say where the database is: two could silently disagree.
  if (url !== undefined && (host !== undefined || user !== undefined)) {
    throw new ConfigError(
      'MONGODB_URL',
      'set either MONGODB_URL (credentials inside it) or MONGODB_HOST/MONGODB_USER/MONGODB_PASSWORD, not both',
    );
  }
  if (host !== undefined && /[/@?]/.test(host)) {
    throw new ConfigError(
      'MONGODB_HOST',
      `expected host:port (or a comma-separated list), got "${host}"; use MONGODB_URL for a full connection string`,
    );
  }
  if (password !== undefined && user === undefined)
    throw new ConfigError('MONGODB_USER', 'MONGODB_PASSWORD is set but MONGODB_USER is not');
  if (user !== undefined && password === undefined)
    throw new ConfigError('MONGODB_PASSWORD', 'MONGODB_USER is set but MONGODB_PASSWORD is not');
  if (store === 'mongodb' && url === undefined && host === undefined) {
    throw new ConfigError('HOLODULE_STORE', 'is mongodb but neither MONGODB_URL nor MONGODB_HOST is set');
  }
  if (!MONGO_DATABASE_NAME.test(database)) {
    const variable = text(env, 'HOLODULE_MONGODB_DATABASE') === undefined ? 'MONGODB_URL' : 'HOLODULE_MONGODB_DATABASE';
    throw new ConfigError(
      variable,
      `expected a database name of letters, digits, _ or - (at most 63), got "${database}"`,
    );
  }
  return {
    url,
    host,
    user,
    password,
    database,
    timeoutMs: integer(env, 'HOLODULE_MONGODB_TIMEOUT_MS', 5000, 100, 600000),
    timeoutExplicit: text(env, 'HOLODULE_MONGODB_TIMEOUT_MS') !== undefined,
  };
}
