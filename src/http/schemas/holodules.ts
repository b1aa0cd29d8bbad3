import { Type } from 'typebox';
import { JwtErrorBody, NotModified, PlainErrorBody } from './errors.js';

// Property order is the contract's field order: fast-json-stringify writes them in this order.
export const StreamBody = Type.Object(
  {
    key: Type.String({ examples: ['HL0503_20201209_230000'] }),
    video_id: Type.String({ examples: ['yEttl2nfhsQ'] }),
    datetime: Type.String({ description: 'Scheduled start, %Y%m%d %H%M%S, Japan time', examples: ['20201209 230000'] }),
    name: Type.String({ examples: ['尾丸ポルカ'] }),
    title: Type.String(),
    url: Type.String({ examples: ['https://www.youtube.com/watch?v=yEttl2nfhsQ'] }),
    description: Type.String({ description: 'First 100 characters of the video description' }),
  },
  { $id: 'Holodule' },
);

export const DayParams = Type.Object({
  date: Type.String({ pattern: '^[0-9]{8}$', description: 'A day in Japan time, YYYYMMDD', examples: ['20201209'] }),
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
  security: [{ jwt: [] }],
  params: DayParams,
  response: {
    200: DayResponse,
    304: NotModified,
    400: PlainErrorBody,
    401: JwtErrorBody,
    404: PlainErrorBody,
    429: PlainErrorBody,
    503: PlainErrorBody,
  },
};
