// Every limit a client can run into, in one place: the domain checks them, the route schemas declare them
// (so the OpenAPI document states them), and the messages quote them.

/** A password's bound in bytes (UTF-8), checked before hashing; Argon2 would take more, we never need more. */
export const MAX_PASSWORD_BYTES = 1024;
/** A password's bound in characters: at most 4 UTF-8 bytes each, so never over MAX_PASSWORD_BYTES. */
export const MAX_PASSWORD_CHARACTERS = MAX_PASSWORD_BYTES / 4;
/** A username's bound in characters (the original's are shorter). */
export const MAX_USERNAME_LENGTH = 256;
/** A refresh token as sent back: even escaped as \uXXXX pairs it fits the 64 KiB body limit. */
export const MAX_REFRESH_TOKEN_LENGTH = 4096;
/** A v2 page cursor's bound in characters. */
export const MAX_CURSOR_CHARS = 1024;
/** A v2 page's most streams. */
export const MAX_LIMIT = 200;
/** The v2 search text's bound in characters. */
export const MAX_TEXT_CHARS = 100;
/** A talent's corrected name's bound in characters. */
export const MAX_NAME = 100;
/** An API key's or feed's name bound in characters. */
export const MAX_CREDENTIAL_NAME = 100;
/** API keys (and, separately, feeds) one user may hold. */
export const MAX_CREDENTIALS_PER_USER = 100;
/** An API key's longest lifetime in days. */
export const MAX_KEY_DAYS = 3650;
/** A calendar feed's most events. */
export const MAX_EVENTS = 5000;
