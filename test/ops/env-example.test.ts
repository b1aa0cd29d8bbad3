// .env.example lists every setting src/config.ts reads, each with the default the code really has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseEnv } from 'node:util';
import { loadConfig } from '../../src/config.js';

const example = readFileSync('.env.example', 'utf8');
const source = readFileSync('src/config.ts', 'utf8');

/** Every variable name config.ts reads: text(env, 'X'), integer(env, 'X', ...), env.X and the like. */
const settingsInCode = new Set([...source.matchAll(/\benv(?:,\s*'|\.)([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
/** Set lines (NAME=value) and commented-out ones (# NAME=...) alike. */
const settingsInExample = new Set([...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

test('.env.example names every setting the config reads, and nothing else', () => {
  assert.ok(settingsInCode.size > 40, `found only ${settingsInCode.size} settings in src/config.ts`);
  assert.deepEqual(
    [...settingsInCode].filter((n) => !settingsInExample.has(n)).sort(),
    [],
    'missing from .env.example',
  );
  assert.deepEqual(
    [...settingsInExample].filter((n) => !settingsInCode.has(n)).sort(),
    [],
    'not read by src/config.ts',
  );
});

test('the values .env.example sets are the defaults: loading it changes nothing', () => {
  const set = parseEnv(example);
  assert.deepEqual(loadConfig(set), loadConfig({}));
});
