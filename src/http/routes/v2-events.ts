// GET /api/v2/events (Server-Sent Events of schedule changes) and POST /api/v2/events/tickets (docs/events.md).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Gauge } from 'prom-client';
import { ChangeFeed } from '../../domain/change-feed.js';
import { talentCodes } from '../../domain/schedule-v2.js';
import { tokenVersionOf, userOfToken } from '../../domain/sessions.js';
import { invalidParameter, jwtError, serviceUnavailable, throttled } from '../../errors.js';
import type { Change } from '../../store/types.js';
import { EventStream } from '../events/event-stream.js';
import { eventsSchema, ticketSchema } from '../schemas/events.js';

const EVENTS_PATH = '/api/v2/events';
/** EventSource's reconnect delay, in ms (its default varies by browser). */
const RETRY_MS = 2000;
const CATCH_UP_PAGE = 500;

declare module 'fastify' {
  interface FastifyInstance {
    /** The event streams open on this instance. */
    eventStreams: { readonly count: number };
  }
}

function lastEventIdOf(request: FastifyRequest<{ Querystring: { last_event_id?: string } }>): number | undefined {
  const header = request.headers['last-event-id'];
  const [name, value] =
    typeof header === 'string' ? ['Last-Event-ID', header] : ['last_event_id', request.query.last_event_id];
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim()))
    throw invalidParameter(name, `${name} must be an event id (a whole number), got "${value.slice(0, 20)}"`);
  return Number(value.trim());
}

/** The request log's URL without the ticket: a ticket is a credential for as long as it lasts. */
export function withoutTicket(url: string): string {
  return url.replace(/([?&]ticket=)[^&#]*/gi, '$1[redacted]');
}

// fastify-plugin: the stream count is the app's (metrics), and the streams end when the app closes.
export const v2EventRoutes = fp<{ clients: Pick<Gauge, 'set'> }>(async (instance, options) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const settings = app.config.events;
  const feed = new ChangeFeed({ changes: app.store.changes, pollMs: settings.pollMs, log: app.log });
  const open = new Set<EventStream>();
  const perUser = new Map<string, number>();
  let closing = false;
  let heartbeat: NodeJS.Timeout | undefined;

  app.decorate('eventStreams', {
    get count() {
      return open.size;
    },
  });

  const ensureHeartbeat = () => {
    if (heartbeat !== undefined || open.size === 0) return;
    heartbeat = setInterval(() => {
      for (const stream of open) stream.heartbeat();
    }, settings.heartbeatMs);
    heartbeat.unref();
  };

  /** A ticket in the URL (EventSource cannot send headers), else a token or key as on every read. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { ticket } = request.query as { ticket?: unknown };
    if (typeof ticket !== 'string') {
      await app.requireReader(request, reply);
      return;
    }
    const verified = await app.tokens.verify(ticket, 'events');
    request.user = await userOfToken(app.store, verified);
    const jti = verified.claims.jti as string;
    const firstUse = await app.store.changes.claimOnce(jti, app.tokens.acceptedUntil(verified.claims), Date.now());
    if (!firstUse) throw jwtError('Invalid token', 'This ticket was already used; ask for a new one');
  }

  app.get(
    EVENTS_PATH,
    {
      schema: eventsSchema,
      onRequest: guard,
      config: { httpCache: false },
      logSerializers: {
        req: (req: FastifyRequest['raw'] & { ip?: string }) => ({
          method: req.method,
          url: withoutTicket(req.url ?? ''),
          remoteAddress: req.socket?.remoteAddress,
        }),
      },
    },
    async (request, reply) => {
      const codes = talentCodes(request.query, await app.schedule.talents.current());
      const wanted = codes === undefined ? undefined : new Set(codes);
      const resumeAfter = lastEventIdOf(request);
      if (closing) throw serviceUnavailable();
      void reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        // nginx would otherwise hold events back in its buffer.
        .header('x-accel-buffering', 'no');
      // HEAD: the headers a stream would have, and no stream (nothing would ever read it).
      if (request.method === 'HEAD') return reply.send('');
      const who = request.user?.uid ?? `address:${request.ip}`;
      const held = perUser.get(who) ?? 0;
      if (held >= settings.maxPerUser)
        throw throttled(`At most ${settings.maxPerUser} event streams at once for one user; close one first`, 10);
      perUser.set(who, held + 1);

      const stream = new EventStream({
        wants: wanted === undefined ? () => true : (change: Change) => wanted.has(change.talent),
        maxBufferedBytes: settings.maxBufferedBytes,
        socketBuffered: () => reply.raw.writableLength,
        drop: () => {
          request.log.warn({ who }, 'event stream dropped: the client does not keep up');
          reply.raw.destroy();
        },
      });
      let subscription: Awaited<ReturnType<ChangeFeed['subscribe']>> | undefined;
      const release = () => {
        if (!open.delete(stream)) return;
        subscription?.unsubscribe();
        const left = (perUser.get(who) ?? 1) - 1;
        if (left > 0) perUser.set(who, left);
        else perUser.delete(who);
        options.clients.set(open.size);
        if (open.size === 0) {
          clearInterval(heartbeat);
          heartbeat = undefined;
        }
      };
      open.add(stream);
      options.clients.set(open.size);
      stream.body.on('close', release);
      try {
        subscription = await feed.subscribe((changes) => stream.deliver(changes));
      } catch (err) {
        release();
        throw err;
      }
      const { position } = subscription;
      const start = await startingPoint(resumeAfter, position).catch((err: unknown) => {
        release();
        throw err;
      });
      ensureHeartbeat();
      if (start.kind === 'live') {
        stream.startLive(position, `retry: ${RETRY_MS}\nid: ${position}\n\n`);
      } else if (start.kind === 'reset') {
        stream.startLive(
          position,
          `retry: ${RETRY_MS}\nid: ${position}\nevent: reset\ndata: ${JSON.stringify({
            reason: 'The changes after your last event id are no longer kept: fetch the schedule again',
            last_event_id: position,
          })}\n\n`,
        );
      } else {
        stream.startCatchUp(resumeAfter!, `retry: ${RETRY_MS}\n: resuming\n\n`);
        void catchUp(stream, resumeAfter!, position).catch((err: unknown) => {
          request.log.warn({ err }, 'event stream resume failed; the client reconnects');
          stream.end();
        });
      }
      // A stream is not serialized: the schema's string only documents the media type.
      return reply.send(stream.body as unknown as string);
    },
  );

  /** Live from now; a resume from the log; or a reset when the log no longer has what came after the client's id. */
  async function startingPoint(
    resumeAfter: number | undefined,
    position: number,
  ): Promise<{ kind: 'live' | 'reset' | 'resume' }> {
    if (resumeAfter === undefined || resumeAfter === position) return { kind: 'live' };
    const bounds = await app.store.changes.bounds();
    const firstKept = bounds.oldest ?? bounds.issued + 1;
    if (resumeAfter > bounds.issued || resumeAfter < firstKept - 1) return { kind: 'reset' };
    return { kind: 'resume' };
  }

  /** Everything after `from` up to `upTo` from the store, then the live changes that came meanwhile. */
  async function catchUp(stream: EventStream, from: number, upTo: number): Promise<void> {
    let after = from;
    while (after < upTo && !stream.closed) {
      const page = await app.store.changes.after(after, CATCH_UP_PAGE);
      for (const change of page) if (change.seq <= upTo) stream.replay(change);
      if (page.length < CATCH_UP_PAGE) break;
      after = page.at(-1)!.seq;
    }
    stream.finishCatchUp();
  }

  app.post('/api/v2/events/tickets', { schema: ticketSchema, onRequest: app.requireReader }, async (request, reply) => {
    const user = request.user;
    if (!user) throw jwtError('Authorization Required', 'Sign in for a ticket (anonymous clients here need none)');
    const { token } = app.tokens.signTicket(user, tokenVersionOf(user), settings.ticketSeconds);
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({
        ticket: token,
        expires_in: settings.ticketSeconds,
        url: `${EVENTS_PATH}?ticket=${encodeURIComponent(token)}`,
      });
  });

  // Before the server stops listening: every stream ends, so its connection can close and SIGTERM drains quickly.
  app.addHook('preClose', async () => {
    closing = true;
    for (const stream of open) stream.end();
    feed.stop();
    clearInterval(heartbeat);
  });
});
