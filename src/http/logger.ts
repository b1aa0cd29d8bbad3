// The process's logger: pretty, coloured, one line per request on a terminal; JSON lines for machines.
// Either way, secrets are replaced before a line is written.
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

/** Where a secret could sit in a log object: request headers, bodies, settings, tokens. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'access_token',
  'refresh_token',
  'secret',
  'apiKey',
  'api_key',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  '*.authorization',
  '*.cookie',
];

/** A URL as it may be logged: a calendar feed's path is its secret (docs/calendar-feeds.md). */
export const loggableUrl = (url: string): string => url.replace(/^\/feeds\/[^?#]*/, '/feeds/[redacted].ics');

export interface LoggerOptions {
  /** Default: stdout. */
  destination?: NodeJS.WritableStream;
  /** Whether the destination is an interactive terminal (default: stdout's). */
  isTTY?: boolean;
}

/** Whether the logs come out pretty: HOLODULE_LOG_FORMAT, else whether a person is watching. */
export function isPrettyLog(config: Pick<Config, 'logFormat'>, isTTY: boolean): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && isTTY);
}

export function createLogger(config: Config, options: LoggerOptions = {}): Logger {
  const isTTY = options.isTTY ?? process.stdout.isTTY === true;
  const settings = {
    level: config.logLevel,
    base: { service: 'holodule' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (!isPrettyLog(config, isTTY)) {
    return options.destination ? pino(settings, options.destination) : pino(settings);
  }
  // Loaded only for a person watching: a service's JSON logs never need it.
  const pinoPretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const pretty = pinoPretty({
    destination: options.destination ?? 1,
    colorize: isTTY,
    sync: true,
    singleLine: true,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,service,reqId,req,res,responseTime',
  });
  return pino(settings, pretty);
}

/** Whether `log` writes info lines (the access log is at info); a silent logger, or none at all, does not. */
export function writesInfo(log: { level?: string }): boolean {
  const level = log.level === undefined ? undefined : pino.levels.values[log.level];
  return level !== undefined && level <= (pino.levels.values.info ?? 30);
}
