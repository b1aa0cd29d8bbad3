// deploy/holodule.service: hardened as promised, and accepted by systemd-analyze verify.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../support/temp-dir.js';

const UNIT = fileURLToPath(new URL('../../../deploy/holodule.service', import.meta.url));
const unit = readFileSync(UNIT, 'utf8');
const hasSystemdAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

test('the unit runs as its own user with a read-only system, no new privileges, and its data as StateDirectory', () => {
  for (const line of [
    'DynamicUser=yes',
    'User=holodule',
    'ProtectSystem=strict',
    'NoNewPrivileges=yes',
    'StateDirectory=holodule',
    'EnvironmentFile=/etc/holodule/holodule.env',
    'HOLODULE_DATA_DIR=/var/lib/holodule',
    'ExecStart=/usr/bin/node /opt/holodule/dist/src/cli/main.js serve',
  ]) {
    assert.ok(unit.includes(line), `deploy/holodule.service has ${line}`);
  }
});

test('systemd-analyze verify accepts the unit', {
  skip: hasSystemdAnalyze ? false : 'systemd-analyze is not installed (Debian package systemd)',
}, (t) => {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  // The unit names Debian's /usr/bin/node; verify checks that the binary exists, so point it at this Node.
  const path = join(dir.path, 'holodule.service');
  writeFileSync(path, unit.replace('/usr/bin/node', process.execPath));
  const verify = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stderr);
  const complaints = verify.stderr.split('\n').filter((l) => l.includes('holodule.service'));
  assert.deepEqual(complaints, []);
});
