// A user as clients see them (and the role union): one TypeBox schema each, the TypeScript types derived from it.
import { type Static, Type } from './typebox.js';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('user')]);
export type Role = Static<typeof RoleSchema>;

export const UserSummarySchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
    password: Type.Union([Type.Literal('argon2id'), Type.Literal('plain-text')], {
      description: 'How the password is stored (never the password itself)',
    }),
  },
  { $id: 'User' },
);
/** `password`: `argon2id`, or `plain-text` for a user stored the original way who has not logged in since. */
export type UserSummary = Static<typeof UserSummarySchema>;
