// What a username may be, as one regular expression that JavaScript (ajv, with the u flag) and the OpenAPI
// document's readers (Python and Rust regex engines, for schemathesis) all read the same way, so the document
// states the rule exactly: no whitespace, control, format, private-use or noncharacter code point of the Basic
// Multilingual Plane (where every invisible or direction-changing one that matters is), and no lone surrogate.
// Other characters (Japanese, emoji, punctuation) are allowed.
import { MAX_USERNAME_LENGTH } from '../schemas/limits.js';

export { MAX_USERNAME_LENGTH };

/** The refused code points, as inclusive ranges: \s, Cc, Cf, Co and the noncharacters of the BMP (Unicode 15). */
const REFUSED: ReadonlyArray<readonly [number, number]> = [
  [0x0, 0x20],
  [0x7f, 0xa0],
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x2064],
  [0x2066, 0x206f],
  [0x3000, 0x3000],
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xfffe, 0xffff],
];

const spell = (cp: number): string => `\\u${cp.toString(16).padStart(4, '0')}`;

export const USERNAME_PATTERN = `^[^${REFUSED.map(([a, b]) => (a === b ? spell(a) : `${spell(a)}-${spell(b)}`)).join('')}]{1,${MAX_USERNAME_LENGTH}}$`;

export const USERNAME_RULE = `1 to ${MAX_USERNAME_LENGTH} characters, without whitespace, control, format, private-use or noncharacter code points of the BMP (nor lone surrogates)`;

const USERNAME = new RegExp(USERNAME_PATTERN, 'u');
// Surrogates stay out of the pattern: Rust's regex engine (schemathesis's validator) cannot compile them.
const LONE_SURROGATE = /\p{Cs}/u;

export const isValidUsername = (username: string): boolean => USERNAME.test(username) && !LONE_SURROGATE.test(username);
