import { Type } from 'typebox';
import { MAX_USERNAME_LENGTH } from '../../domain/users.js';
import { JwtErrorBody, PlainErrorBody } from './errors.js';

export const UserBody = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: Type.Union([Type.Literal('admin'), Type.Literal('user')]),
    disabled: Type.Boolean(),
    password: Type.Union([Type.Literal('argon2id'), Type.Literal('plain-text')], {
      description: 'How the password is stored (never the password itself)',
    }),
  },
  { $id: 'User' },
);

const Username = Type.String({ minLength: 1, maxLength: MAX_USERNAME_LENGTH });
const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'At least 8 characters (HOLODULE_PASSWORD_MIN_LENGTH), at most 1024 bytes',
});
const Role = Type.Union([Type.Literal('admin'), Type.Literal('user')]);

const errors = { 400: PlainErrorBody, 401: JwtErrorBody, 403: JwtErrorBody, 404: PlainErrorBody, 409: PlainErrorBody };
const admin = { tags: ['users'], security: [{ jwt: [] }] };

export const listUsersSchema = {
  ...admin,
  summary: 'List users (admin)',
  response: { 200: Type.Array(UserBody), ...errors },
};
export const createUserSchema = {
  ...admin,
  summary: 'Create a user (admin)',
  body: Type.Object(
    { username: Username, password: Password, role: Type.Optional(Role) },
    { additionalProperties: false },
  ),
  response: { 201: UserBody, ...errors },
};
export const UserParams = Type.Object({ username: Username });
export const getUserSchema = {
  ...admin,
  summary: 'One user (admin)',
  params: UserParams,
  response: { 200: UserBody, ...errors },
};
export const updateUserSchema = {
  ...admin,
  summary: 'Disable or enable a user, or change their role (admin); disabling ends their tokens',
  params: UserParams,
  body: Type.Object(
    { disabled: Type.Optional(Type.Boolean()), role: Type.Optional(Role) },
    { additionalProperties: false, minProperties: 1 },
  ),
  response: { 200: UserBody, ...errors },
};
export const resetPasswordSchema = {
  ...admin,
  summary: "Set a user's password (admin); ends their tokens",
  description:
    'An admin setting their own password must also give the current one, as with PUT /me/password ' +
    '(400 otherwise); for another user it is not asked.',
  params: UserParams,
  body: Type.Object(
    {
      password: Password,
      current_password: Type.Optional({ ...Password, description: 'Your current password: needed for your own' }),
    },
    { additionalProperties: false },
  ),
  response: { 204: Type.Null(), ...errors },
};
export const deleteUserSchema = {
  ...admin,
  summary: 'Delete a user (admin); their tokens stop working at once',
  params: UserParams,
  response: { 204: Type.Null(), ...errors },
};
export const meSchema = {
  tags: ['users'],
  security: [{ jwt: [] }],
  summary: 'The user the token belongs to',
  response: { 200: UserBody, 401: JwtErrorBody },
};
export const changeOwnPasswordSchema = {
  tags: ['users'],
  security: [{ jwt: [] }],
  summary: 'Change your own password (needs the current one); ends your other tokens',
  body: Type.Object({ current_password: Password, new_password: Password }, { additionalProperties: false }),
  response: { 204: Type.Null(), 400: PlainErrorBody, 401: JwtErrorBody },
};
