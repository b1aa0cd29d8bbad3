import { Type } from '../../schemas/typebox.js';
import { StreamSchema } from '../../schemas/stream.js';
import { described, NotModified, PlainErrorBody, refusals } from './errors.js';
import { tokenOrApiKey } from './security.js';

/** YYYYMMDD, a real calendar day from 1970 to 9999 (leap years included): what findDayAnswer accepts. */
export const DAY_PATTERN =
  '^(?:(?:19[7-9][0-9]|[2-9][0-9]{3})(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))' +
  '|(?:19(?:7[26]|8[048]|9[26])|[2-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)0229)$';

/** A stream as the contract sends it (src/schemas/stream.ts). */
export const StreamBody = StreamSchema;

export const DayParams = Type.Object({
  date: Type.String({
    pattern: DAY_PATTERN,
    description: 'A day in Japan time, YYYYMMDD: a real calendar date from 19700101 to 99991231',
    examples: ['20201209'],
  }),
});

export const DayResponse = Type.Object({
  result: Type.Integer({ description: 'Number of streams' }),
  holodules: Type.Array(StreamBody),
});

export const dayRouteSchema = {
  tags: ['schedule'],
  summary: "One day's streams, newest first",
  description:
    'Sends a strong ETag and Cache-Control; a matching If-None-Match is answered 304 without a body. ' +
    'With HOLODULE_PUBLIC_READ=true, anonymous clients may read too (at most HOLODULE_PUBLIC_READ_LIMIT ' +
    'requests a minute per address, then 429 with Retry-After); a request with a token is always verified.',
  security: tokenOrApiKey,
  params: DayParams,
  response: {
    200: DayResponse,
    304: NotModified,
    ...refusals.badRequest,
    ...refusals.unauthenticated,
    404: { ...refusals.notFound[404], description: 'No stream that day' },
    429: described(PlainErrorBody, 'Anonymous reads over the per-address limit (public mode only)'),
    ...refusals.unavailable,
  },
};
