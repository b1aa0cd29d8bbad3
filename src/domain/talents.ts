// The talent directory over the API and the CLI: groups, talents, one talent with its next and last streams,
// and an admin's corrections. A correction changes what a code means (name, group...), never the code: stored
// keys, and the keys of streams still to come, stay as they are.
import { AppError, invalidParameter } from '../errors.js';
import type { Store, TalentField } from '../store/types.js';
import { GROUPS, type Talent } from '../talents/directory.js';
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
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const CODE = /^[A-Z0-9]{2,16}$/;
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

async function existing(deps: TalentDeps, code: string): Promise<Talent> {
  const upper = code.toUpperCase();
  if (!CODE.test(upper))
    throw invalidParameter('code', `code must be 2 to 16 letters and digits, got "${code.slice(0, 40)}"`);
  const talent = (await deps.talents.current()).talent(upper);
  if (talent === undefined)
    throw new AppError(404, 'Not found', `talent ${upper} is not in the directory (GET /api/v2/talents)`);
  return talent;
}

export async function getTalent(
  deps: TalentDeps,
  code: string,
): Promise<Talent & { next_stream: StreamResource | null; last_stream: StreamResource | null }> {
  const talent = await existing(deps, code);
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

function checkPatch(patch: TalentPatch): Partial<Record<TalentField, string | null>> {
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
    const text = value.normalize('NFC').trim();
    if (field === 'name' || field === 'name_en') {
      if (text === '' || Array.from(text).length > MAX_NAME)
        throw invalidParameter(field, `${field} must be 1 to ${MAX_NAME} characters`);
    } else if (field === 'group') {
      if (!GROUPS.some((g) => g.id === text))
        throw invalidParameter('group', `group "${text.slice(0, 40)}" does not exist (GET /api/v2/groups)`);
    } else if (field === 'avatar') {
      if (!/^https:\/\/[^\s]{1,2000}$/.test(text)) throw invalidParameter('avatar', 'avatar must be an https:// URL');
    } else if (!CHANNEL_ID.test(text)) {
      throw invalidParameter(
        'channel_id',
        'channel_id must be a YouTube channel id (UC and 22 letters, digits, - or _)',
      );
    }
    fields[field] = text;
  }
  return fields;
}

/** Applies an admin's correction to a talent the directory knows (from the file, or met by the collector). */
export async function updateTalent(deps: TalentDeps, code: string, patch: TalentPatch): Promise<Talent> {
  const fields = checkPatch(patch);
  const talent = await existing(deps, code);
  await deps.store.talents.update(talent.code, fields);
  deps.talents.invalidate();
  return (await deps.talents.current()).talent(talent.code)!;
}
