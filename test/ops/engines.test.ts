// package.json's engines is true to every installed package: each one accepts the oldest Node we claim, and Node 24.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

const own = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean }>;
};

test('every dependency in the lock file runs on the oldest Node package.json claims and on Node 24', () => {
  const oldest = semver.minVersion(own.engines.node)!.version;
  assert.equal(oldest, '20.19.0');
  const refusing: string[] = [];
  let checked = 0;
  for (const path of Object.keys(lock.packages)) {
    const manifest = join(path, 'package.json');
    if (path === '' || !existsSync(manifest)) continue;
    const wanted = (JSON.parse(readFileSync(manifest, 'utf8')) as { engines?: { node?: string } }).engines?.node;
    if (wanted === undefined || !semver.validRange(wanted)) continue;
    checked++;
    for (const node of [oldest, '24.0.0']) {
      if (!semver.satisfies(node, wanted)) refusing.push(`${path} wants node ${wanted} (not ${node})`);
    }
  }
  assert.ok(checked > 20, `only ${checked} packages declare engines: is node_modules there?`);
  assert.deepEqual(refusing, []);
});
