// holodule keys rotate|list: signing keys shared through the store.
import { rotateSigningKey } from '../auth/keyring.js';
import { withStore } from './command-context.js';
import { UsageError } from './usage-error.js';

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export async function keysCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (rest.length > 0 || (action !== 'rotate' && action !== 'list'))
    throw new UsageError('usage: holodule keys rotate|list');
  if (action === 'rotate') {
    const key = await withStore(({ config, store }) => rotateSigningKey(store, config.jwt));
    console.log(
      `new signing key ${key.kid} (${key.alg}); running instances pick it up within HOLODULE_KEYS_REFRESH_SECONDS, ` +
        'and tokens signed with older keys stay valid until they expire',
    );
    return;
  }
  const keys = await withStore(({ store }) => store.auth.listKeys());
  if (keys.length === 0)
    console.log('no keys in the store (tokens are signed with JWT_SECRET_KEY or the generated secret)');
  for (const k of keys) {
    const state = k.retiredAt === null ? 'signing' : `retired ${iso(k.retiredAt)}, verifies until ${iso(k.expiresAt)}`;
    console.log(`${k.kid}\t${k.alg}\tcreated ${iso(k.createdAt)}\t${state}`);
  }
}
