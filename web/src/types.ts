// The wire shapes the page reads, taken from the server's own TypeBox schemas (types only: nothing of the
// server is bundled). A change to a schema is a type error here.
import type { Static } from 'typebox';
import type { FavouritesBody } from '../../src/http/schemas/favourites.js';
import type { SessionBody } from '../../src/http/schemas/session.js';
import type { TicketBody } from '../../src/http/schemas/events.js';
import type {
  ApiKeyBody,
  createApiKeySchema,
  createFeedSchema,
  FeedBody,
} from '../../src/http/schemas/subscriptions.js';
import type { UserBody } from '../../src/http/schemas/users.js';
import type {
  getTalentSchema,
  listGroupsSchema,
  listStreamsSchema,
  listTalentsSchema,
  ProblemBody,
  StreamResourceBody,
} from '../../src/http/schemas/v2.js';

export type Stream = Static<typeof StreamResourceBody>;
export type StreamPage = Static<(typeof listStreamsSchema)['response'][200]>;
export type StreamStatus = Stream['status'];
export type Group = Static<(typeof listGroupsSchema)['response'][200]>[number];
export type Talent = Static<(typeof listTalentsSchema)['response'][200]>[number];
export type TalentDetail = Static<(typeof getTalentSchema)['response'][200]>;
export type User = Static<typeof UserBody>;
export type ApiKey = Static<typeof ApiKeyBody>;
export type NewApiKey = Static<(typeof createApiKeySchema)['response'][201]>;
export type Feed = Static<typeof FeedBody>;
export type NewFeed = Static<(typeof createFeedSchema)['response'][201]>;
export type Ticket = Static<typeof TicketBody>;
export type Problem = Static<typeof ProblemBody>;
export type SessionAnswer = Static<typeof SessionBody>;
export type Favourites = Static<typeof FavouritesBody>;
