// Schemas of the personal API key and calendar feed routes (docs/api-keys.md, docs/calendar-feeds.md).
import { Type } from '../../schemas/typebox.js';
import { MAX_CREDENTIAL_NAME, MAX_KEY_DAYS } from '../../domain/api-keys.js';
import { MAX_USERNAME_LENGTH } from '../../domain/username-rule.js';
import { STREAM_STATUSES } from '../../store/types.js';
import { described, JwtErrorBody, NotModified, PlainErrorBody, refusals } from './errors.js';
import { bearerOrJwt } from './security.js';

const Time = (description: string, example: string) =>
  Type.String({ description: `${description}, RFC 3339 UTC`, examples: [example] });
const TimeOrNull = (description: string, example: string) => Type.Union([Time(description, example), Type.Null()]);

const Name = Type.String({ minLength: 1, maxLength: MAX_CREDENTIAL_NAME, examples: ['my discord bot'] });
const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, examples: ['0b6f2c1e-4a5d-4e8f-9b1a-2c3d4e5f6a7b'] }),
});
const UserAndIdParams = Type.Object({
  username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH }),
  id: Type.String({ minLength: 1, maxLength: 64 }),
});
const UserParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH }) });

export const ApiKeyBody = Type.Object(
  {
    id: Type.String({ examples: ['0b6f2c1e-4a5d-4e8f-9b1a-2c3d4e5f6a7b'] }),
    name: Type.String({ examples: ['my discord bot'] }),
    created_at: Time('When it was made', '2020-12-09T14:00:00Z'),
    last_used_at: TimeOrNull('When it was last used (to the minute)', '2020-12-09T15:00:00Z'),
    expires_at: TimeOrNull('When it stops working; null: never', '2021-03-09T14:00:00Z'),
  },
  { $id: 'ApiKey' },
);

const NewApiKeyBody = Type.Object({
  ...ApiKeyBody.properties,
  key: Type.String({
    description: 'The key: shown this once, stored only as a hash. Send it as `X-API-Key`.',
    examples: ['hdk_4Zq0rYbV1xk2WmB6tq9sJfN3aPLc7uHd0eGiKoRwTyS'],
  }),
});

const FilterInput = (description: string, example: string) =>
  Type.Optional(
    Type.Union(
      [
        Type.String({ maxLength: 2000, description: `${description}, comma-separated`, examples: [example] }),
        Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description, examples: [example.split(',')] }),
      ],
      { description },
    ),
  );

const Filter = (description: string, example: string[]) =>
  Type.Union([Type.Array(Type.String(), { description, examples: [example] }), Type.Null()]);

export const FeedBody = Type.Object(
  {
    id: Type.String({ examples: ['5d0c8a7e-2b1f-4c3d-8e9f-0a1b2c3d4e5f'] }),
    name: Type.String({ examples: ['Suisei'] }),
    talent: Filter('Talent codes; null: any', ['HL0501']),
    group: Filter('Group ids; null: any', ['hololive-jp']),
    status: Type.Union([
      Type.Array(
        Type.Union([Type.Literal('upcoming'), Type.Literal('live'), Type.Literal('ended'), Type.Literal('missing')]),
        { description: `Statuses (${STREAM_STATUSES.join(', ')}); null: any`, examples: [['live', 'upcoming']] },
      ),
      Type.Null(),
    ]),
    created_at: Time('When it was made', '2020-12-09T14:00:00Z'),
    last_used_at: TimeOrNull('When a calendar last fetched it (to the minute)', '2020-12-09T15:00:00Z'),
  },
  { $id: 'Feed' },
);

const NewFeedBody = Type.Object({
  ...FeedBody.properties,
  url: Type.String({
    description: 'The secret feed URL: shown this once. Anyone with it can read the feed; revoke it if it leaks.',
    examples: ['https://holodule.example/feeds/hdf_8pQ2mT5vX0bN7cL4kJ1hG6fD3sA9zW2eR5tY8uI0oP3.ics'],
  }),
  webcal_url: Type.String({
    description: 'The same URL as webcal:// (opens the subscribe dialog of Apple Calendar and others)',
    examples: ['webcal://holodule.example/feeds/hdf_8pQ2mT5vX0bN7cL4kJ1hG6fD3sA9zW2eR5tY8uI0oP3.ics'],
  }),
});

const tokenOnly = {
  401: described(
    JwtErrorBody,
    'No, malformed, expired or revoked token, or its user is gone or disabled; an API key is refused here (keys only read)',
  ),
};
const common = { ...refusals.unavailable, ...tokenOnly };
const admin = { ...common, ...refusals.forbidden };
const notFound = (what: string) => ({ 404: described(PlainErrorBody, `No such ${what}`) });
const tooMany = (what: string) => ({
  409: described(PlainErrorBody, `You have the most ${what} one account may have; revoke one first`),
});
const badBody = { 400: described(PlainErrorBody, 'A field cannot be used; the description says which and why') };

const keys = { tags: ['api keys'], security: bearerOrJwt };
const feeds = { tags: ['calendar feeds'], security: bearerOrJwt };

export const createApiKeySchema = {
  ...keys,
  summary: 'Make a personal API key (shown once)',
  description:
    'The key reads as you (`X-API-Key`: the day query and the v2 reads) and nothing else. It stops working when ' +
    'revoked, when it expires, and when you are deleted or disabled or your password changes.',
  body: Type.Object(
    {
      name: Name,
      expires_at: Type.Optional(
        Type.String({
          maxLength: 64,
          description: 'RFC 3339 with a zone, in the future',
          examples: ['2027-01-31T00:00:00Z'],
        }),
      ),
      expires_in_days: Type.Optional(
        Type.Integer({ minimum: 1, maximum: MAX_KEY_DAYS, description: 'Instead of expires_at', examples: [90] }),
      ),
    },
    { additionalProperties: false },
  ),
  response: { 201: NewApiKeyBody, ...badBody, ...common, ...tooMany('API keys'), ...refusals.body(PlainErrorBody) },
};

export const listApiKeysSchema = {
  ...keys,
  summary: 'Your API keys (never the keys themselves)',
  response: { 200: Type.Array(ApiKeyBody), 304: NotModified, ...common },
};

export const revokeApiKeySchema = {
  ...keys,
  summary: 'Revoke one of your API keys: it stops working at once, on every instance',
  params: IdParams,
  response: { 204: Type.Null(), ...badBody, ...common, ...notFound('API key of yours') },
};

export const listUserApiKeysSchema = {
  ...keys,
  summary: "A user's API keys (admin)",
  params: UserParams,
  response: { 200: Type.Array(ApiKeyBody), 304: NotModified, ...badBody, ...admin, ...notFound('user') },
};

export const revokeUserApiKeySchema = {
  ...keys,
  summary: "Revoke a user's API key (admin)",
  params: UserAndIdParams,
  response: { 204: Type.Null(), ...badBody, ...admin, ...notFound('user, or no such key of theirs') },
};

export const createFeedSchema = {
  ...feeds,
  summary: 'Make a calendar feed: a secret .ics URL for calendar apps (shown once)',
  description:
    'Filters combine with AND, as in GET /api/v2/streams: `talent` codes (GET /api/v2/talents), `group` ids ' +
    '(GET /api/v2/groups), `status` (upcoming, live, ended, missing); each a comma-separated string or an array.',
  body: Type.Object(
    {
      name: Type.Optional(Name),
      talent: FilterInput('Talent codes', 'HL0501,HL0304'),
      group: FilterInput('Group ids', 'hololive-jp'),
      status: FilterInput('Statuses', 'upcoming,live'),
    },
    { additionalProperties: false },
  ),
  response: { 201: NewFeedBody, ...badBody, ...common, ...tooMany('feeds'), ...refusals.body(PlainErrorBody) },
};

export const listFeedsSchema = {
  ...feeds,
  summary: 'Your calendar feeds (never their URLs)',
  response: { 200: Type.Array(FeedBody), 304: NotModified, ...common },
};

export const revokeFeedSchema = {
  ...feeds,
  summary: 'Revoke one of your feeds: its URL answers 404 from now on',
  params: IdParams,
  response: { 204: Type.Null(), ...badBody, ...common, ...notFound('feed of yours') },
};

export const listUserFeedsSchema = {
  ...feeds,
  summary: "A user's calendar feeds (admin)",
  params: UserParams,
  response: { 200: Type.Array(FeedBody), 304: NotModified, ...badBody, ...admin, ...notFound('user') },
};

export const revokeUserFeedSchema = {
  ...feeds,
  summary: "Revoke a user's calendar feed (admin)",
  params: UserAndIdParams,
  response: { 204: Type.Null(), ...badBody, ...admin, ...notFound('user, or no such feed of theirs') },
};

export const feedCalendarSchema = {
  tags: ['calendar feeds'],
  summary: 'A calendar feed (iCalendar, RFC 5545): no header needed, the URL is the secret',
  description:
    'One VEVENT per stream from HOLODULE_CALENDAR_PAST_DAYS before now to HOLODULE_CALENDAR_FUTURE_DAYS after. ' +
    'Sends a strong ETag (If-None-Match → 304) and `Cache-Control: private`. An unknown or revoked feed, or one ' +
    'whose user is deleted or disabled, is 404.',
  params: Type.Object({
    file: Type.String({
      description: 'The feed token followed by `.ics`',
      examples: ['hdf_8pQ2mT5vX0bN7cL4kJ1hG6fD3sA9zW2eR5tY8uI0oP3.ics'],
    }),
  }),
  response: {
    200: {
      description: 'The calendar',
      content: {
        'text/calendar': {
          schema: Type.String({ examples: ['BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n'] }),
        },
      },
    },
    304: NotModified,
    ...notFound('feed'),
    ...refusals.unavailable,
  },
};
