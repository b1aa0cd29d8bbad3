// `holodule serve` keeps V8's young generation from growing while it starts and lets it grow once serving
// (src/cli/young-generation.ts). Each case runs in a fresh Node, whose young generation has not grown yet.
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
const survive = () => { for (let i = 0; i < 400_000; i++) kept.push({ i, list: [i, i] }); };
if (process.argv[1] === 'small') young.keepYoungGenerationSmall();
survive();
const first = size();
survive();
const second = size();
young.letYoungGenerationGrow();
survive();
survive();
console.log(JSON.stringify({ first, second, afterGrow: size(), kept: kept.length }));
`;

async function sizesOf(mode: 'small' | 'default'): Promise<{ first: number; second: number; afterGrow: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', SCRIPT, mode]);
  return JSON.parse(stdout) as { first: number; second: number; afterGrow: number };
}

describe('the young generation of holodule serve', () => {
  it('does not grow while kept small, however much survives, where by default it would', async () => {
    const sut = await sizesOf('small');
    const byDefault = await sizesOf('default');
    assert.equal(sut.second, sut.first);
    assert.ok(sut.second < byDefault.second, `${sut.second} < ${byDefault.second}`);
  });

  it('grows again once let grow', async () => {
    const sut = await sizesOf('small');
    assert.ok(sut.afterGrow > sut.second, `${sut.afterGrow} > ${sut.second}`);
  });
});
