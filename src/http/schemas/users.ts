import { Type } from '../../schemas/typebox.js';
import { RoleSchema, UserSummarySchema } from '../../schemas/user.js';
import { MAX_PASSWORD_BYTES, MAX_PASSWORD_CHARACTERS } from '../../domain/users.js';
import { MAX_USERNAME_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../../domain/username-rule.js';
import { PlainErrorBody, refusals } from './errors.js';
import { bearerOrJwt } from './security.js';

/** A user as admins (and the user) see them (src/schemas/user.ts). */
export const UserBody = UserSummarySchema;

const NewUsername = Type.String({
  minLength: 1,
  maxLength: MAX_USERNAME_LENGTH,
  pattern: USERNAME_PATTERN,
  description: `A username: ${USERNAME_RULE}`,
  examples: ['user02'],
});
const Role = RoleSchema;
/** Any stored name, including the original app's (which may hold spaces): no pattern here. */
export const UserParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH }) });

const admin = { tags: ['users'], security: bearerOrJwt };
const adminRefusals = {
  ...refusals.badRequest,
  ...refusals.unauthenticated,
  ...refusals.forbidden,
  ...refusals.unavailable,
};

/** The user routes' schemas: a new password's minimum is configured (HOLODULE_PASSWORD_MIN_LENGTH). */
export function userRouteSchemas(minPasswordLength: number) {
  const NewPassword = Type.String({
    minLength: minPasswordLength,
    maxLength: MAX_PASSWORD_CHARACTERS,
    description:
      `At least ${minPasswordLength} characters (HOLODULE_PASSWORD_MIN_LENGTH), at most ${MAX_PASSWORD_CHARACTERS} ` +
      `characters (so never over ${MAX_PASSWORD_BYTES} bytes); never truncated`,
  });
  // The current password is whatever was set, perhaps by the original app: only the login's bounds.
  const CurrentPassword = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_BYTES });
  return {
    listUsers: {
      ...admin,
      summary: 'List users (admin)',
      response: { 200: Type.Array(UserBody), ...adminRefusals },
    },
    createUser: {
      ...admin,
      summary: 'Create a user (admin)',
      body: Type.Object(
        { username: NewUsername, password: NewPassword, role: Type.Optional(Role) },
        { additionalProperties: false },
      ),
      response: { 201: UserBody, ...adminRefusals, ...refusals.conflict, ...refusals.body(PlainErrorBody) },
    },
    getUser: {
      ...admin,
      summary: 'One user (admin)',
      params: UserParams,
      response: { 200: UserBody, ...adminRefusals, ...refusals.notFound },
    },
    updateUser: {
      ...admin,
      summary: 'Disable or enable a user, or change their role (admin); disabling ends their tokens',
      params: UserParams,
      body: Type.Object(
        { disabled: Type.Optional(Type.Boolean()), role: Type.Optional(Role) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: {
        200: UserBody,
        ...adminRefusals,
        ...refusals.notFound,
        ...refusals.conflict,
        ...refusals.body(PlainErrorBody),
      },
    },
    resetPassword: {
      ...admin,
      summary: "Set a user's password (admin); ends their tokens",
      description:
        'An admin setting their own password must also give the current one, as with PUT /me/password ' +
        '(400 otherwise); for another user it is not asked.',
      params: UserParams,
      body: Type.Object(
        {
          password: NewPassword,
          current_password: Type.Optional({
            ...CurrentPassword,
            description: 'Your current password: needed for your own',
          }),
        },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null(), ...adminRefusals, ...refusals.notFound, ...refusals.body(PlainErrorBody) },
    },
    deleteUser: {
      ...admin,
      summary: 'Delete a user (admin); their tokens stop working at once',
      params: UserParams,
      response: { 204: Type.Null(), ...adminRefusals, ...refusals.notFound, ...refusals.conflict },
    },
    me: {
      tags: ['users'],
      security: bearerOrJwt,
      summary: 'The user the token belongs to',
      response: { 200: UserBody, ...refusals.unauthenticated, ...refusals.unavailable },
    },
    changeOwnPassword: {
      tags: ['users'],
      security: bearerOrJwt,
      summary: 'Change your own password (needs the current one); ends your other tokens',
      description: 'A wrong current password is a 400.',
      body: Type.Object(
        { current_password: CurrentPassword, new_password: NewPassword },
        { additionalProperties: false },
      ),
      response: {
        204: Type.Null(),
        ...refusals.badRequest,
        ...refusals.unauthenticated,
        ...refusals.unavailable,
        ...refusals.body(PlainErrorBody),
      },
    },
  };
}
