// The first start on a brand-new embedded database: a first admin (password shown once) and a sample schedule.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PasswordHasher } from '../auth/passwords.js';
import type { Store } from '../store/types.js';
import { sampleStreams } from './sample-schedule.js';

export const INITIAL_ADMIN = 'admin';
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

export interface FirstRunResult {
  admin?: { username: string; password: string; passwordFile: string };
  sampleStreams: number;
}

export interface FirstRunDeps {
  store: Store;
  hasher: PasswordHasher;
  dataDir: string;
  seedSample: boolean;
}

/** Only for a database this process just created, and only while it is still empty: never over real data. */
export async function initialiseNewDatabase(deps: FirstRunDeps): Promise<FirstRunResult> {
  const result: FirstRunResult = { sampleStreams: 0 };
  if ((await deps.store.users.count()) === 0) {
    const password = randomBytes(18).toString('base64url');
    const inserted = await deps.store.users.insertIfAbsent({
      id: '1',
      username: INITIAL_ADMIN,
      password: await deps.hasher.hash(password),
      role: 'admin',
    });
    if (inserted) {
      const passwordFile = join(deps.dataDir, INITIAL_PASSWORD_FILE);
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      result.admin = { username: INITIAL_ADMIN, password, passwordFile };
    }
  }
  if (deps.seedSample && (await deps.store.streams.count()) === 0) {
    result.sampleStreams = (await deps.store.streams.upsertMany(sampleStreams())).inserted;
  }
  return result;
}
