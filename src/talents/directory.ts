// The talent directory, one module for the collector and the API: talents.json (codes, groups, names) with what
// the store adds — names the collector met that the file lacks, avatars it saw, an admin's corrections.
// Codes never depend on the store: a name not in the file gets a code derived from the name itself, so every run
// and every instance agrees on it, and an admin's correction changes what a code means, never the code.
import { createHash } from 'node:crypto';
import type { TalentRecord } from '../store/types.js';
import talentsFile from './talents.json' with { type: 'json' };

export interface FileTalent {
  code: string;
  name: string;
  name_en: string;
  group: string;
  origin: string;
  aliases?: string[];
  channel_id?: string;
  graduated?: boolean;
}

export interface Group {
  id: string;
  name: string;
}

/** A talent as the API shows it: the file's entry, the store's record over it. */
export interface Talent {
  code: string;
  name: string;
  name_en: string | null;
  group: string;
  avatar: string | null;
  channel_id: string | null;
  graduated: boolean;
}

export interface TalentCode {
  code: string;
  /** False when the name is not in the table and the code was generated from it. */
  known: boolean;
}

export const TALENTS: readonly FileTalent[] = talentsFile.talents;
/** Talents met on the page but in no file entry and not yet placed by an admin. */
export const UNKNOWN_GROUP: Group = { id: 'unknown', name: 'Not in the directory yet' };
export const GROUPS: readonly Group[] = [...talentsFile.groups, UNKNOWN_GROUP];

/** The page's spacing and full-width/half-width forms vary; compare names in one form. */
export const normaliseName = (name: string): string => name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/** `XX` + 8 hex digits: no `_` (keys split on it), and never clashes with the table's `HL`/`HS` codes. */
export function generatedCode(name: string): string {
  return `XX${createHash('sha256').update(normaliseName(name)).digest('hex').slice(0, 8).toUpperCase()}`;
}

function merged(file: FileTalent | undefined, record: TalentRecord | undefined, code: string): Talent {
  return {
    code,
    name: record?.name ?? file?.name ?? record?.seen_name ?? code,
    name_en: record?.name_en ?? file?.name_en ?? null,
    group: record?.group ?? file?.group ?? UNKNOWN_GROUP.id,
    avatar: record?.avatar ?? record?.seen_avatar ?? null,
    channel_id: record?.channel_id ?? file?.channel_id ?? null,
    graduated: file?.graduated ?? false,
  };
}

export class TalentDirectory {
  private readonly byName = new Map<string, string>();
  private readonly byCode = new Map<string, Talent>();
  private readonly byAvatar = new Map<string, Talent>();
  /** Every name a talent is known by, in search form, for text search. */
  private readonly namesOf = new Map<string, string[]>();

  constructor(records: readonly TalentRecord[] = [], talents: readonly FileTalent[] = TALENTS) {
    const stored = new Map(records.map((r) => [r.code, r]));
    for (const file of talents) {
      for (const name of [file.name, ...(file.aliases ?? [])]) this.byName.set(normaliseName(name), file.code);
      this.add(merged(file, stored.get(file.code), file.code), [file.name, file.name_en, ...(file.aliases ?? [])]);
    }
    for (const record of records) {
      if (this.byCode.has(record.code)) continue;
      this.add(merged(undefined, record, record.code), [record.seen_name]);
    }
  }

  private add(talent: Talent, names: Array<string | undefined>): void {
    this.byCode.set(talent.code, talent);
    if (talent.avatar) this.byAvatar.set(talent.avatar, talent);
    const all = [talent.name, talent.name_en, ...names].filter((n): n is string => !!n).map(normaliseName);
    this.namesOf.set(talent.code, [...new Set(all)]);
  }

  codeFor(name: string): TalentCode {
    const code = this.byName.get(normaliseName(name));
    return code === undefined ? { code: generatedCode(name), known: false } : { code, known: true };
  }

  talent(code: string): Talent | undefined {
    return this.byCode.get(code);
  }

  talentByAvatar(avatar: string): Talent | undefined {
    return this.byAvatar.get(avatar);
  }

  /** Every talent, in group order (the file's), then by code. */
  talents(group?: string): Talent[] {
    const order = new Map(GROUPS.map((g, i) => [g.id, i]));
    return [...this.byCode.values()]
      .filter((t) => group === undefined || t.group === group)
      .sort((a, b) => (order.get(a.group) ?? 99) - (order.get(b.group) ?? 99) || a.code.localeCompare(b.code));
  }

  groups(): Array<Group & { talents: number }> {
    const counts = new Map<string, number>();
    for (const t of this.byCode.values()) counts.set(t.group, (counts.get(t.group) ?? 0) + 1);
    return GROUPS.map((g) => ({ ...g, talents: counts.get(g.id) ?? 0 }));
  }

  /** The codes whose names (Japanese, English, aliases, as seen) contain `needle` (already in normalised form). */
  codesNamed(needle: string): string[] {
    const codes: string[] = [];
    for (const [code, names] of this.namesOf) if (names.some((n) => n.includes(needle))) codes.push(code);
    return codes;
  }
}
