// A user's state of ours — role, disabled flag, token version — parsed once where a store reads a user, and
// written back where it writes one. Stored as the fields `role`, `disabled` and `token_version` beside the
// original's (in SQLite's `extra` column, in MongoDB's document); a value of another type under one of
// those names is not ours and stays in `extra`, untouched.
import type { Role } from '../schemas/user.js';
import type { NewUser } from './types.js';

export interface UserState {
  role: Role;
  disabled: boolean;
  /** Tokens carrying an older version stop working. */
  tokenVersion: number;
}

/** The typed state found in `stored`, and what is left of it (fields holodule does not know). */
export function readUserState(stored: Record<string, unknown> | undefined): {
  state: UserState;
  extra: Record<string, unknown> | undefined;
} {
  const state: UserState = { role: 'user', disabled: false, tokenVersion: 0 };
  if (stored === undefined) return { state, extra: undefined };
  const extra = { ...stored };
  if (extra.role === 'admin' || extra.role === 'user') {
    state.role = extra.role;
    delete extra.role;
  }
  if (typeof extra.disabled === 'boolean') {
    state.disabled = extra.disabled;
    delete extra.disabled;
  }
  if (typeof extra.token_version === 'number') {
    state.tokenVersion = extra.token_version;
    delete extra.token_version;
  }
  return { state, extra: Object.keys(extra).length > 0 ? extra : undefined };
}

/** What a store writes beside the contract's fields: `extra`, with the typed state (where set) over it. */
export function storedStateOf(user: NewUser): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = { ...user.extra };
  if (user.role === 'admin') out.role = 'admin';
  else if (user.role === 'user') delete out.role;
  if (user.disabled === true) out.disabled = true;
  else if (user.disabled === false) delete out.disabled;
  if (user.tokenVersion !== undefined && user.tokenVersion > 0) out.token_version = user.tokenVersion;
  else if (user.tokenVersion === 0) delete out.token_version;
  return Object.keys(out).length > 0 ? out : undefined;
}
