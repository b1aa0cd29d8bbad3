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
  it('does not grow while it starts, however much survives, where by default it would', async () => {
    const sut = await sizesOf('serve');
    const byDefault = await sizesOf('v8-default');
    // Node 20's V8 keeps it at its first size; Node 24's resizes it on its own, but never up while starting.
    assert.ok(sut.second <= sut.first, `${sut.second} <= ${sut.first}`);
    assert.ok(Math.max(sut.first, sut.second) < byDefault.second, `${sut.first}, ${sut.second} < ${byDefault.second}`);
  });

  it('grows once serving, but stays below what V8 grows it to by default', async () => {
    const sut = await sizesOf('serve');
    const byDefault = await sizesOf('v8-default');
    assert.ok(sut.serving > sut.second, `${sut.serving} > ${sut.second}`);
    assert.ok(sut.serving < byDefault.serving, `${sut.serving} < ${byDefault.serving}`);
  });
});
