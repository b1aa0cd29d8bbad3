// GET /api/v2/events and POST /api/v2/events/tickets: the wire shapes (docs/events.md).
import { Type } from '../../schemas/typebox.js';
import { CHANGE_TYPES } from '../../store/types.js';
import { tokenOrApiKey } from './security.js';
import { ProblemBody } from './v2.js';

/** A token or an API key (a ticket, in the URL, is the GET's `ticket` parameter). */
const security = tokenOrApiKey;
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemBody } },
});

export const EventsQuerystring = Type.Object({
  talent: Type.Optional(
    Type.String({ description: 'Only changes of these talents, comma-separated codes', examples: ['HL0503,HL0301'] }),
  ),
  group: Type.Optional(
    Type.String({ description: 'Only changes of talents in these groups, comma-separated ids', examples: ['holox'] }),
  ),
  last_event_id: Type.Optional(
    Type.String({
      description: 'Resume after this event id (as the Last-Event-ID header, which wins when both are sent)',
      examples: ['1042'],
    }),
  ),
  ticket: Type.Optional(
    Type.String({
      description:
        'A ticket from POST /api/v2/events/tickets, for clients that cannot send headers (EventSource): ' +
        'single use, valid 60 s, good for this stream only',
    }),
  ),
});

export const eventsSchema = {
  tags: ['v2'],
  summary: 'Schedule changes as they happen: a Server-Sent Events stream (text/event-stream)',
  description:
    `Events: ${CHANGE_TYPES.join(', ')} (data: {"stream": <v2 stream>, "changed": [...], "previous": {...}}), ` +
    'and reset (the resume point is older than the change log: fetch the schedule again). Each event has an id; ' +
    'send it back as Last-Event-ID to resume. A `: ping` comment every 15 s. The stream does not end by itself.',
  security,
  querystring: EventsQuerystring,
  headers: Type.Object({
    'last-event-id': Type.Optional(Type.String({ description: 'Resume after this event id', examples: ['1042'] })),
  }),
  response: {
    200: {
      description: 'An endless text/event-stream',
      content: { 'text/event-stream': { schema: Type.String() } },
    },
    400: problem('A parameter cannot be used; `parameter` names it'),
    401: problem('No valid token, API key or ticket'),
    429: problem('This user already has the most event streams open that one instance allows'),
    503: problem('The store is unavailable, or the server is shutting down'),
  },
};

export const TicketBody = Type.Object({
  ticket: Type.String({ description: 'Use once, within expires_in seconds, as ?ticket= on GET /api/v2/events' }),
  expires_in: Type.Integer({ description: 'Seconds', examples: [60] }),
  url: Type.String({ description: 'The events URL with the ticket, relative to this server' }),
});

export const ticketSchema = {
  tags: ['v2'],
  summary: 'A short-lived, single-use ticket that opens one event stream (for EventSource, which cannot send headers)',
  security,
  response: {
    201: TicketBody,
    401: problem('No valid token or API key (anonymous clients of a public server need no ticket)'),
    503: problem('The store is unavailable'),
  },
};
