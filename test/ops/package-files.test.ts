// The package carries what runs (dist/src, the built web page) and what deploys it, never the compiled tests or
// benchmarks, nor the TypeScript sources.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

describe('the npm package', () => {
  it('holds the built server and CLI, and no tests, benchmarks or sources', () => {
    // --ignore-scripts: packing would otherwise run `prepare` (a full build) first.
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: repo, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const paths = pack!.files.map((f) => f.path);
    assert.ok(paths.includes('dist/src/cli/main.js'), 'the CLI is in the package');
    assert.ok(paths.includes('LICENSE') && paths.includes('package.json'));
    const stray = paths.filter((p) => /^(dist\/(test|bench)|build|src|test|bench|scripts)\//.test(p));
    assert.deepEqual(stray, []);
  });
});
