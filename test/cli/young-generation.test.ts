// `holodule serve` keeps V8's young generation from growing while it starts and lets it grow, to a bound, once
// serving (src/cli/young-generation.ts). Each case runs in a fresh Node, whose young generation has not grown yet.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const MODULE = new URL('../../src/cli/young-generation.js', import.meta.url).href;

/** Young-generation sizes around rounds of allocations that survive their scavenges, as loading modules does. */
const SCRIPT = `
import { getHeapSpaceStatistics } from 'node:v8';
import * as young from ${JSON.stringify(MODULE)};
const size = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const kept = [];
const survive = (n) => { for (let i = 0; i < n; i++) kept.push({ i, list: [i, i] }); };
const asServe = process.argv[1] === 'serve';
if (asServe) young.keepYoungGenerationSmall();
survive(400_000);
const first = size();
survive(400_000);
const second = size();
if (asServe) young.letYoungGenerationGrow();
// Serving: work comes in many small turns of the event loop, not one long run.
for (let turn = 0; turn < 300; turn++) {
  survive(20_000);
  await new Promise((resolve) => setImmediate(resolve));
}
console.log(JSON.stringify({ first, second, serving: size() }));
`;

interface Sizes {
  first: number;
  second: number;
  serving: number;
}

async function sizesOf(mode: 'serve' | 'v8-default'): Promise<Sizes> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', SCRIPT, mode]);
  return JSON.parse(stdout) as Sizes;
}

describe('the young generation of holodule serve', () => {
  it('stays far below its default size while it starts, however much survives', async () => {
    const sut = await sizesOf('serve');
    const byDefault = await sizesOf('v8-default');
    // Node 20's V8 keeps it at its first size (2 MB against 32 MB); Node 24's resizes it by its own rules (6–9 MB,
    // then 2 MB, against 64 MB): on both it stays far below what V8 grows it to by default.
    const largest = Math.max(sut.first, sut.second);
    assert.ok(largest * 4 <= byDefault.second, `${largest} is not a quarter of ${byDefault.second}`);
  });

  it('grows once serving, but stays below what V8 grows it to by default', async () => {
    const sut = await sizesOf('serve');
    const byDefault = await sizesOf('v8-default');
    assert.ok(sut.serving > sut.second, `${sut.serving} > ${sut.second}`);
    assert.ok(sut.serving < byDefault.serving, `${sut.serving} < ${byDefault.serving}`);
  });
});
