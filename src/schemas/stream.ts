// A stream in the contract's shape: one TypeBox schema, the TypeScript type derived from it.
import { type Static, Type } from './typebox.js';

// Property order is the contract's field order: fast-json-stringify writes them in this order.
export const StreamSchema = Type.Object(
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
/** The contract's fields of a stream: every one a string. */
export type StreamFields = Static<typeof StreamSchema>;
