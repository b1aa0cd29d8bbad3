// The guard of read routes (requireReader). A request with credentials is verified as requireUser does,
// always (a bad token stays a 401); without an Authorization header, an API key in X-API-Key reads as its
// user (looked up in the store on every request, so a revocation anywhere holds at once). Without credentials
// it is a 401 too, unless HOLODULE_PUBLIC_READ opens reads to anonymous clients; those are then counted per
// address in the store, so that every instance on it shares the counts, and refused with 429 past
// HOLODULE_PUBLIC_READ_LIMIT a minute.
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { userOfApiKey } from '../../domain/api-keys.js';
import { throttled } from '../../errors.js';
import type { CounterStore } from '../../store/types.js';
import { hasApiKey, hasAuthorization } from './require-user.js';

declare module 'fastify' {
  interface FastifyInstance {
    requireReader: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export const PUBLIC_READ_WINDOW_MS = 60_000;
const COUNTER_PREFIX = 'anonymous-read:';
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** @fastify/rate-limit's store interface over our CounterStore (callback style, as the plugin calls it). */
function counterBackedStore(counters: CounterStore): new () => FastifyRateLimitStore {
  return class CounterBackedStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      window: number,
    ) {
      const now = Date.now();
      counters.hit(`${COUNTER_PREFIX}${key}`, window, now).then(
        (hit) => callback(null, { current: hit.count, ttl: Math.max(0, hit.resetAt - now) }),
        (err: Error) => callback(err),
      );
    }
    child(): FastifyRateLimitStore {
      return new CounterBackedStore();
    }
  };
}

export const requireReaderPlugin = fp(async (app: FastifyInstance) => {
  const { publicRead, publicReadLimit } = app.config.http;
  let countAnonymous: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | undefined;

  if (publicRead && publicReadLimit > 0) {
    await app.register(rateLimit, {
      global: false,
      store: counterBackedStore(app.store.counters),
      // The IETF draft's RateLimit-* headers, and Retry-After on a 429.
      enableDraftSpec: true,
    });
    const limiter = app.rateLimit({
      max: publicReadLimit,
      timeWindow: PUBLIC_READ_WINDOW_MS,
      errorResponseBuilder: (_request, context) => {
        const seconds = String(Math.max(1, Math.ceil(context.ttl / 1000)));
        return throttled(
          `More than ${context.max} anonymous requests a minute from this address; retry in ${seconds} s or sign in`,
          Number(seconds),
        );
      },
    });
    countAnonymous = async (request, reply) => {
      await limiter.call(app, request, reply);
    };
    const prune = setInterval(() => {
      app.store.counters
        .prune(Date.now())
        .catch((err: unknown) => app.log.warn({ err }, 'could not prune the anonymous read counters'));
    }, PRUNE_EVERY_MS);
    prune.unref();
    app.addHook('onClose', async () => clearInterval(prune));
  }

  app.decorate('requireReader', async (request: FastifyRequest, reply: FastifyReply) => {
    request.acceptsApiKey = true;
    if (!hasAuthorization(request) && hasApiKey(request)) {
      const key = request.headers['x-api-key'];
      request.user = await userOfApiKey(app.store, typeof key === 'string' ? key.trim() : '');
      return;
    }
    if (!publicRead || hasAuthorization(request)) {
      await app.requireUser(request);
      return;
    }
    request.anonymousRead = true;
    if (countAnonymous) await countAnonymous(request, reply);
  });
});
