// The talent directory over the API and the CLI: groups, talents, one talent with its next and last streams,
// and an admin's corrections. A correction changes what a code means (name, group...), never the code: stored
// keys, and the keys of streams still to come, stay as they are.
import { AppError, invalidParameter } from '../errors.js';
import type { Store, TalentField } from '../store/types.js';
import { GROUPS, type Talent } from '../talents/directory.js';
import { CODE_PATTERN } from './schedule-v2.js';
import { type StreamResource, streamResource } from './stream-view.js';
import type { TalentCatalog } from './talent-catalog.js';

export interface TalentDeps {
  store: Store;
  talents: TalentCatalog;
  now?: () => number;
}

/** The fields an admin may set; `null` takes the correction back (the file's value, or what the page showed). */
export interface TalentPatch {
  name?: string | null;
  name_en?: string | null;
  group?: string | null;
  avatar?: string | null;
  channel_id?: string | null;
}

export const TALENT_PATCH_FIELDS = ['name', 'name_en', 'group', 'avatar', 'channel_id'] as const;
export const MAX_NAME = 100;
/** The characters JS's trim() takes away, spelt out: Python's \\s is another set, and the schema must mean one thing. */
const BLANKS = '\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** A name: 1 to MAX_NAME characters as sent, not all blank (it is stored trimmed, in NFC). */
export const NAME_PATTERN = `[^${BLANKS}]`;
export const AVATAR_PATTERN = `^https://[^${BLANKS}]{1,2000}$`;
export const CHANNEL_ID_PATTERN = '^UC[A-Za-z0-9_-]{22}$';
const NAME = new RegExp(NAME_PATTERN, 'u');
const AVATAR = new RegExp(AVATAR_PATTERN, 'u');
const CHANNEL_ID = new RegExp(CHANNEL_ID_PATTERN, 'u');
const CODE = new RegExp(CODE_PATTERN, 'u');
const EARLIEST = '1970-01-01T00:00:00.000Z';
const LATEST = '9999-12-31T00:00:00.000Z';

export async function listGroups(deps: TalentDeps) {
  return (await deps.talents.current()).groups();
}

export async function listTalents(deps: TalentDeps, group: string | undefined): Promise<Talent[]> {
  if (group !== undefined && !GROUPS.some((g) => g.id === group))
    throw invalidParameter('group', `group "${group.slice(0, 40)}" does not exist (GET /api/v2/groups)`);
  return (await deps.talents.current()).talents(group);
}

export function checkCode(code: string): void {
  if (!CODE.test(code))
    throw invalidParameter('code', `code must be 2 to 16 letters and digits, got "${code.slice(0, 40)}"`);
}

/** The directory's talent with this code (any case): 400 for a code of the wrong form, 404 for one it lacks. */
export async function existingTalent(deps: TalentDeps, code: string): Promise<Talent> {
  checkCode(code);
  const upper = code.toUpperCase();
  const talent = (await deps.talents.current()).talent(upper);
  if (talent === undefined)
    throw new AppError(404, 'Not found', `talent ${upper} is not in the directory (GET /api/v2/talents)`);
  return talent;
}

export async function getTalent(
  deps: TalentDeps,
  code: string,
): Promise<Talent & { next_stream: StreamResource | null; last_stream: StreamResource | null }> {
  const talent = await existingTalent(deps, code);
  const now = new Date((deps.now ?? Date.now)()).toISOString();
  const around = (fromUtc: string, toUtc: string, order: 'asc' | 'desc') =>
    deps.store.streams.query({ fromUtc, toUtc, talents: [talent.code], order, limit: 1 });
  const [[next], [last], directory] = await Promise.all([
    around(now, LATEST, 'asc'),
    around(EARLIEST, now, 'desc'),
    deps.talents.current(),
  ]);
  return {
    ...talent,
    next_stream: next ? streamResource(next, directory) : null,
    last_stream: last ? streamResource(last, directory) : null,
  };
}

export function checkPatch(patch: TalentPatch): Partial<Record<TalentField, string | null>> {
  const fields: Partial<Record<TalentField, string | null>> = {};
  const given = TALENT_PATCH_FIELDS.filter((f) => patch[f] !== undefined);
  if (given.length === 0)
    throw invalidParameter(
      'body',
      `give at least one of ${TALENT_PATCH_FIELDS.join(', ')} (null takes a correction back)`,
    );
  for (const field of given) {
    const value = patch[field];
    if (value === null || value === undefined) {
      fields[field] = null;
      continue;
    }
    // Checked as sent (what the OpenAPI document states); names are kept trimmed and in NFC.
    if (field === 'name' || field === 'name_en') {
      if (!NAME.test(value) || Array.from(value).length > MAX_NAME)
        throw invalidParameter(field, `${field} must be 1 to ${MAX_NAME} characters, not all blank`);
    } else if (field === 'group') {
      if (!GROUPS.some((g) => g.id === value))
        throw invalidParameter('group', `group "${value.slice(0, 40)}" does not exist (GET /api/v2/groups)`);
    } else if (field === 'avatar') {
      if (!AVATAR.test(value)) throw invalidParameter('avatar', 'avatar must be an https:// URL');
    } else if (!CHANNEL_ID.test(value)) {
      throw invalidParameter(
        'channel_id',
        'channel_id must be a YouTube channel id (UC and 22 letters, digits, - or _)',
      );
    }
    const text = field === 'name' || field === 'name_en' ? value.normalize('NFC').trim() : value;
    fields[field] = text;
  }
  return fields;
}

/** Applies an admin's correction to a talent the directory knows (from the file, or met by the collector). */
export async function updateTalent(deps: TalentDeps, code: string, patch: TalentPatch): Promise<Talent> {
  const fields = checkPatch(patch);
  const talent = await existingTalent(deps, code);
  await deps.store.talents.update(talent.code, fields);
  deps.talents.invalidate();
  return (await deps.talents.current()).talent(talent.code)!;
}
