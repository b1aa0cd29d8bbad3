// GET/PUT/DELETE /api/v2/me/favourites: a signed-in user's favourite talents.
import { Type } from '../../schemas/typebox.js';
import { bearerOrJwt } from './security.js';
import { CodeParams, ProblemBody } from './v2.js';

/** Errors are sent as application/problem+json (v2). */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemBody } },
});
const errors = {
  401: problem('No valid access token (an API key cannot do this)'),
  503: problem('The store is unavailable'),
};
const byCode = {
  400: problem('The code is not 2 to 16 letters and digits; `parameter` is `code`'),
  ...errors,
};
const favourites = { tags: ['favourites'], security: bearerOrJwt };

export const FavouritesBody = Type.Object(
  {
    talents: Type.Array(Type.String({ examples: ['HL0503'] }), { description: 'Talent codes, in code order' }),
  },
  { description: 'Your favourite talents' },
);

export const listFavouritesSchema = {
  ...favourites,
  summary: 'Your favourite talents',
  response: { 200: FavouritesBody, ...errors },
};

export const addFavouriteSchema = {
  ...favourites,
  summary: 'Mark a talent a favourite (again: no change)',
  params: CodeParams,
  response: {
    204: Type.Null({ description: 'It is a favourite' }),
    ...byCode,
    404: problem('No talent with this code (GET /api/v2/talents lists them)'),
  },
};

export const removeFavouriteSchema = {
  ...favourites,
  summary: 'Unmark a talent (not a favourite: no change)',
  params: CodeParams,
  response: { 204: Type.Null({ description: 'It is not a favourite' }), ...byCode },
};
