// Talent name → code, the first part of every stream key. The table is data (talents.json);
// a name not in it still gets a code, derived from the name so every run and instance agrees on it.
import { createHash } from 'node:crypto';
import talentsFile from './talents.json' with { type: 'json' };

export interface Talent {
  code: string;
  name: string;
  group: string;
  origin: string;
  aliases?: string[];
  graduated?: boolean;
}

export interface TalentCode {
  code: string;
  /** False when the name is not in the table and the code was generated from it. */
  known: boolean;
}

export const TALENTS: readonly Talent[] = talentsFile.talents;

/** The page's spacing and full-width/half-width forms vary; compare names in one form. */
export const normaliseName = (name: string): string => name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/** `XX` + 8 hex digits: no `_` (keys split on it), and never clashes with the table's `HL`/`HS` codes. */
export function generatedCode(name: string): string {
  return `XX${createHash('sha256').update(normaliseName(name)).digest('hex').slice(0, 8).toUpperCase()}`;
}

export class TalentDirectory {
  private readonly byName = new Map<string, string>();

  constructor(talents: readonly Talent[] = TALENTS) {
    for (const talent of talents) {
      for (const name of [talent.name, ...(talent.aliases ?? [])]) this.byName.set(normaliseName(name), talent.code);
    }
  }

  codeFor(name: string): TalentCode {
    const code = this.byName.get(normaliseName(name));
    return code === undefined ? { code: generatedCode(name), known: false } : { code, known: true };
  }
}
