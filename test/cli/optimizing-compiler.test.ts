// `holodule serve` starts with V8's optimizing compilers (TurboFan, Maglev) off and turns them on once serving
// (src/cli/optimizing-compiler.ts), unless whoever started Node chose the compilers. Each case that runs code
// runs it in a fresh Node, which reports V8's own optimization status of a hot function.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { compilerChosenByOperator } from '../../src/cli/optimizing-compiler.js';

const MODULE = new URL('../../src/cli/optimizing-compiler.js', import.meta.url).href;

/** V8's status bit for "this function runs TurboFan's code" (the same on Node 20 and 24). */
const TURBOFANNED = 1 << 6;

/**
 * Calls a small function a million times while held, then after release until V8 has optimized it (TurboFan
 * compiles on a background thread and installs the code between turns of the event loop), at most 200 turns.
 */
const SCRIPT = `
import * as compiler from ${JSON.stringify(MODULE)};
function hot(x) { return (x * 2 + 1) % 7; }
const run = () => { let sum = 0; for (let i = 0; i < 1_000_000; i++) sum += hot(i); return sum; };
// The loop stays unoptimized, so it calls hot() rather than an optimized copy of it inlined into the loop.
%NeverOptimizeFunction(run);
const turbofanned = () => (%GetOptimizationStatus(hot) & ${TURBOFANNED}) !== 0;
compiler.holdOptimizingCompilers();
for (let turn = 0; turn < 5; turn++) { run(); await new Promise((resolve) => setImmediate(resolve)); }
const whileHeld = turbofanned();
compiler.releaseOptimizingCompilers();
let turns = 0;
while (!turbofanned() && turns < 200) { run(); turns++; await new Promise((resolve) => setImmediate(resolve)); }
console.log(JSON.stringify({ whileHeld, onceReleased: turbofanned() }));
`;

async function statusIn(nodeFlags: string[]): Promise<{ whileHeld: boolean; onceReleased: boolean }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--allow-natives-syntax', ...nodeFlags, '--input-type=module', '-e', SCRIPT],
    { env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout) as { whileHeld: boolean; onceReleased: boolean };
}

describe("V8's optimizing compilers while holodule serve starts", () => {
  it('optimize nothing while starting, however hot, and optimize hot code with TurboFan once serving', async () => {
    const sut = await statusIn([]);

    assert.deepEqual(sut, { whileHeld: false, onceReleased: true });
  });

  it('leaves the compilers as the operator set them on the command line', async () => {
    const sut = await statusIn(['--no-turbofan']);

    assert.deepEqual(sut, { whileHeld: false, onceReleased: false });
  });

  it('reads the operator choosing the compilers from the command line or NODE_OPTIONS, in either spelling', () => {
    for (const flag of [
      '--no-turbofan',
      '--turbofan',
      '--no-opt',
      '--jitless',
      '--maglev',
      '--no_turbofan',
      '--lite-mode',
    ]) {
      assert.equal(compilerChosenByOperator([flag], ''), true, flag);
      assert.equal(compilerChosenByOperator([], `--max-old-space-size=512 ${flag}`), true, `NODE_OPTIONS ${flag}`);
    }
    for (const flag of ['--max-old-space-size=512', '--trace-opt', '--optimize-for-size', '--enable-source-maps']) {
      assert.equal(compilerChosenByOperator([flag], flag), false, flag);
    }
    assert.equal(compilerChosenByOperator([], ''), false);
  });
});
