// What ships loads TypeBox from one file (src/schemas/typebox.ts, scripts/bundle-typebox.mjs): that file must be
// TypeBox itself, building the very schemas the package's TypeBox builds, and it must stay one file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Type as FromPackage } from 'typebox';
import { Type as Shipped } from '../../src/schemas/typebox.js';

/** Every TypeBox builder holodule's schemas use, in one schema. */
const everyBuilderOf = (T: typeof FromPackage) =>
  T.Object(
    {
      text: T.String({ minLength: 1, maxLength: 8, pattern: '^[a-z]+$', description: 'a string' }),
      count: T.Integer({ minimum: 0 }),
      ratio: T.Number(),
      flag: T.Boolean(),
      nothing: T.Null(),
      anything: T.Unknown(),
      role: T.Union([T.Literal('admin'), T.Literal('user')]),
      list: T.Array(T.String(), { maxItems: 3 }),
      map: T.Record(T.String(), T.Integer()),
      maybe: T.Optional(T.Union([T.String(), T.Null()])),
      raw: T.Unsafe<string>({ type: 'string', format: 'date-time' }),
      link: T.Ref('PlainErrorBody'),
    },
    { additionalProperties: false, $id: 'Everything' },
  );

describe('TypeBox in one file', () => {
  it('builds the same schema as the TypeBox package, with every builder holodule uses', () => {
    assert.deepEqual(everyBuilderOf(Shipped as typeof FromPackage), everyBuilderOf(FromPackage));
  });

  it('is one file after the build: it imports nothing (npm test and npm run build make it)', () => {
    const compiled = readFileSync(fileURLToPath(new URL('../../src/schemas/typebox.js', import.meta.url)), 'utf8');
    assert.doesNotMatch(compiled, /^\s*(import|export)\s[^;]*\sfrom\s/m, 'run node scripts/bundle-typebox.mjs build');
    assert.match(compiled, /^export \{ \w+ as Type \};?$/m);
  });
});
