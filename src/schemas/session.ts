// What a login (and a refresh) answers: one TypeBox schema, the TypeScript type derived from it.
import { type Static, Type } from './typebox.js';

export const TokenPairSchema = Type.Object({
  access_token: Type.String({ description: 'A JWT; send it as `Authorization: JWT <token>` (or `Bearer`)' }),
  refresh_token: Type.String({ description: 'Exchange it at /auth/refresh for a new pair; single use' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: "The access token's lifetime in seconds" }),
});
export type TokenPair = Static<typeof TokenPairSchema>;
