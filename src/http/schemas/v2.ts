// v2's wire shapes: the stream resource, pages, live now, groups and talents, and problem details.
import { type TSchema, Type } from '../../schemas/typebox.js';
import { MAX_CURSOR_CHARS } from '../../schemas/limits.js';
import { STREAM_STATUSES, type StreamStatus } from '../../store/types.js';
import {
  CODE_PATTERN,
  DEFAULT_LIMIT,
  DEFAULT_LIVE_HOURS,
  GROUP_LIST_PATTERN,
  HOURS_PATTERN,
  LIMIT_PATTERN,
  MAX_LIMIT,
  MAX_LIVE_HOURS,
  MAX_TEXT_CHARS,
  STATUS_LIST_PATTERN,
  TALENT_LIST_PATTERN,
  VIDEO_ID_PATTERN,
} from '../../domain/schedule-v2.js';
import { INSTANT_PATTERN } from '../../domain/rfc3339.js';
import {
  AVATAR_PATTERN,
  CHANNEL_ID_PATTERN,
  MAX_NAME,
  NAME_PATTERN,
  TALENT_PATCH_FIELDS,
} from '../../domain/talents.js';
import { GROUPS } from '../../talents/directory.js';

const GROUP_IDS = GROUPS.map((g) => g.id);
/** One group id, as an enum (a string schema: query parameters arrive as strings). */
const GroupId = (options: { description?: string; examples?: string[] }) =>
  Type.Unsafe<string>({ type: 'string', enum: GROUP_IDS, ...options });

/**
 * A string or null as `type: [string, null]`, not an anyOf: fast-json-stringify writes it directly, where an anyOf
 * is validated value by value (a third of the time of a page of streams).
 */
const NullableString = (options: { description?: string; examples?: string[]; format?: string } = {}) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });
const Time = (description: string, example: string) =>
  NullableString({ format: 'date-time', description, examples: [example] });

export const ProblemBody = Type.Object(
  {
    type: Type.String({ examples: ['tag:holodule,2026:problem/invalid-parameter'] }),
    title: Type.String({ examples: ['Invalid parameter'] }),
    status: Type.Integer({ examples: [400] }),
    detail: Type.String({ examples: ['limit must be a whole number from 1 to 200, got "0"'] }),
    parameter: Type.Optional(Type.String({ description: 'The request parameter at fault', examples: ['limit'] })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details (application/problem+json): every v2 error' },
);

const TalentRef = Type.Object({
  code: Type.String({ examples: ['HL0503'] }),
  name: Type.String({ examples: ['尾丸ポルカ'] }),
  group: Type.String({ examples: ['hololive_jp_5'] }),
});

const Collaborator = Type.Object({
  code: NullableString({ examples: ['HL0501'] }),
  name: NullableString({ examples: ['獅白ぼたん'] }),
  avatar: NullableString({ examples: ['https://yt3.ggpht.com/…'] }),
});

export const StreamResourceBody = Type.Object({
  video_id: Type.String({ examples: ['yEttl2nfhsQ'] }),
  key: Type.String({ description: "The original's key (v1)", examples: ['HL0503_20201209_230000'] }),
  start: Time('Scheduled start, UTC', '2020-12-09T14:00:00Z'),
  datetime: Type.String({ description: "The original's Japan-time start", examples: ['20201209 230000'] }),
  talent: TalentRef,
  collaborators: Type.Array(Collaborator, { description: 'code and name are null where the schedule names none' }),
  title: Type.String(),
  description: Type.String({ description: 'First 100 characters of the video description' }),
  url: Type.String({ examples: ['https://www.youtube.com/watch?v=yEttl2nfhsQ'] }),
  thumbnail: Type.String({ examples: ['https://img.youtube.com/vi/yEttl2nfhsQ/mqdefault.jpg'] }),
  status: Type.Unsafe<StreamStatus>({
    type: 'string',
    enum: [...STREAM_STATUSES],
    description: 'upcoming, live, ended, or missing (gone from the schedule, or private/deleted on YouTube)',
    examples: ['upcoming'],
  }),
  actual_start: Time('When it went live (YouTube)', '2020-12-09T14:01:12Z'),
  actual_end: Time('When it ended (YouTube)', '2020-12-09T15:30:40Z'),
  updated_at: Time('When the collector last changed it', '2020-12-09T15:45:00Z'),
});

const security = [{ jwt: [] }];
/** Reads also take an API key (X-API-Key). */
const readSecurity: Array<Record<string, string[]>> = [{ jwt: [] }, { apiKey: [] }];
/** Errors are sent as application/problem+json; the OpenAPI document says so. */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemBody } },
});
const readErrors = {
  400: problem('A parameter cannot be used; `parameter` names it'),
  401: problem('No valid token or API key (the same rules as v1)'),
  404: problem('No such resource'),
  503: problem('The store is unavailable'),
};

export const StreamQuerystring = Type.Object({
  from: Type.Optional(
    Type.String({
      description:
        'Start of the window, inclusive: RFC 3339 with a zone, or YYYY-MM-DD for that day in Japan time. ' +
        'Default: 24 hours ago (or 8 days before `to`)',
      pattern: INSTANT_PATTERN,
      examples: ['2020-12-09', '2020-12-09T20:00:00+09:00'],
    }),
  ),
  to: Type.Optional(
    Type.String({
      description:
        'End of the window, exclusive: RFC 3339, or YYYY-MM-DD for the end of that day in Japan time. ' +
        'Default: 7 days from now (or 8 days after `from`). Must be after `from` (else 400 naming `from`)',
      pattern: INSTANT_PATTERN,
      examples: ['2020-12-15', '2020-12-10T00:00:00Z'],
    }),
  ),
  talent: Type.Optional(
    Type.String({
      description:
        'Talent codes, comma-separated, either case (GET /api/v2/talents); a code not in the directory is a 400',
      pattern: TALENT_LIST_PATTERN,
      examples: ['HL0503,HL0301'],
    }),
  ),
  group: Type.Optional(
    Type.String({
      description: 'Group ids, comma-separated (GET /api/v2/groups)',
      pattern: GROUP_LIST_PATTERN,
      examples: ['hololive_jp_5,holox'],
    }),
  ),
  status: Type.Optional(
    Type.String({
      description: `Comma-separated: ${STREAM_STATUSES.join(', ')}`,
      pattern: STATUS_LIST_PATTERN,
      examples: ['live,upcoming'],
    }),
  ),
  q: Type.Optional(
    Type.String({
      description:
        'Text in the title, talent or collaborator names; case- and width-insensitive (ＡＢＣ = abc, ｶﾀｶﾅ = カタカナ)',
      maxLength: MAX_TEXT_CHARS,
      examples: ['minecraft'],
    }),
  ),
  order: Type.Optional(
    Type.Unsafe<'asc' | 'desc'>({
      type: 'string',
      enum: ['asc', 'desc'],
      description: 'By start: asc (default) or desc',
      examples: ['desc'],
    }),
  ),
  limit: Type.Optional(
    Type.String({
      description: `Streams a page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
      pattern: LIMIT_PATTERN,
      examples: ['20'],
    }),
  ),
  cursor: Type.Optional(
    Type.String({
      description:
        "The previous page's next_cursor, with the same other parameters. It is signed by the server: any other " +
        'value (edited, made up, or from a query with other parameters) is a 400 naming `cursor`. The example shows ' +
        'the form only: it is not signed by your server',
      maxLength: MAX_CURSOR_CHARS,
      examples: ['WzEsIjIwMjAtMTItMDlUMTQ6MDA6MDAuMDAwWiIsIkhMMDUwM18yMDIwMTIwOV8yMzAwMDAiXQ.AbCdEf'],
    }),
  ),
});

export const listStreamsSchema = {
  tags: ['v2'],
  summary: 'Streams in a window, filtered, a page at a time (Link: rel="next")',
  security: readSecurity,
  querystring: StreamQuerystring,
  response: {
    200: Type.Object({
      items: Type.Array(StreamResourceBody),
      next_cursor: NullableString({ description: 'null on the last page' }),
    }),
    ...readErrors,
  },
};

export const getStreamSchema = {
  tags: ['v2'],
  summary: 'One stream by YouTube video id',
  security: readSecurity,
  params: Type.Object({
    video_id: Type.String({ description: 'YouTube video id', pattern: VIDEO_ID_PATTERN, examples: ['yEttl2nfhsQ'] }),
  }),
  response: { 200: StreamResourceBody, ...readErrors },
};

export const liveSchema = {
  tags: ['v2'],
  summary: 'Streams live now, and those starting within the next hours',
  security: readSecurity,
  querystring: Type.Object({
    hours: Type.Optional(
      Type.String({
        description: `How far ahead upcoming streams are listed, 1 to ${MAX_LIVE_HOURS} hours (default ${DEFAULT_LIVE_HOURS})`,
        pattern: HOURS_PATTERN,
        examples: ['12'],
      }),
    ),
  }),
  response: {
    200: Type.Object({ live: Type.Array(StreamResourceBody), upcoming: Type.Array(StreamResourceBody) }),
    ...readErrors,
  },
};

const GroupBody = Type.Object({
  id: Type.String({ examples: ['holox'] }),
  name: Type.String({ examples: ['holoX (hololive 6th generation)'] }),
  talents: Type.Integer({ description: 'Talents in the group', examples: [5] }),
});

const TalentBody = Type.Object({
  code: Type.String({ examples: ['HL0503'] }),
  name: Type.String({ examples: ['尾丸ポルカ'] }),
  name_en: NullableString({ examples: ['Omaru Polka'] }),
  group: Type.String({ examples: ['hololive_jp_5'] }),
  avatar: NullableString(),
  channel_id: NullableString({ examples: ['UCK9V2B22uJYu3N7eR_BT9QA'] }),
  graduated: Type.Boolean(),
});

export const CodeParams = Type.Object({
  code: Type.String({
    description: 'Talent code, either case (generated ones start with XX)',
    pattern: CODE_PATTERN,
    examples: ['HL0503'],
  }),
});

export const listGroupsSchema = {
  tags: ['v2'],
  summary: 'Talent groups, with how many talents each has',
  security: readSecurity,
  response: { 200: Type.Array(GroupBody), ...readErrors },
};

export const listTalentsSchema = {
  tags: ['v2'],
  summary: 'Talents, all or of one group (group unknown: names the collector met that the directory lacks)',
  security: readSecurity,
  querystring: Type.Object({
    group: Type.Optional(GroupId({ description: 'A group id', examples: ['hololive_en', 'unknown'] })),
  }),
  response: { 200: Type.Array(TalentBody), ...readErrors },
};

export const getTalentSchema = {
  tags: ['v2'],
  summary: 'One talent, with their next and last streams',
  security: readSecurity,
  params: CodeParams,
  response: {
    200: Type.Object({
      ...TalentBody.properties,
      next_stream: Type.Union([StreamResourceBody, Type.Null()]),
      last_stream: Type.Union([StreamResourceBody, Type.Null()]),
    }),
    ...readErrors,
  },
};

const Correction = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const Name = (example: string) =>
  Type.String({
    description: `1 to ${MAX_NAME} characters, not all blank (kept trimmed)`,
    maxLength: MAX_NAME,
    pattern: NAME_PATTERN,
    examples: [example],
  });

export const updateTalentSchema = {
  tags: ['v2'],
  summary: "Correct a talent's name, English name, group, avatar or channel (admin); null takes a correction back",
  security,
  params: CodeParams,
  body: Type.Object(
    {
      name: Correction(Name('新人ちゃん')),
      name_en: Correction(Name('Newcomer')),
      // An enum that takes null lists null (OpenAPI 3.0's `nullable` does not add it to an enum).
      group: Type.Optional(
        Type.Unsafe<string | null>({
          type: ['string', 'null'],
          enum: [...GROUP_IDS, null],
          examples: ['hololive_jp_0'],
        }),
      ),
      avatar: Correction(Type.String({ pattern: AVATAR_PATTERN, examples: ['https://yt3.ggpht.com/example=s88'] })),
      channel_id: Correction(Type.String({ pattern: CHANNEL_ID_PATTERN, examples: ['UCK9V2B22uJYu3N7eR_BT9QA'] })),
    },
    {
      additionalProperties: false,
      minProperties: 1,
      description: `At least one of ${TALENT_PATCH_FIELDS.join(', ')}`,
    },
  ),
  response: { 200: TalentBody, 403: problem('The admin role is needed'), ...readErrors },
};
