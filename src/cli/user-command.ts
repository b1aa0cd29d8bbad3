// holodule user add|list|passwd|remove NAME
import { addUser, changePassword, listUsers, removeUser } from '../domain/users.js';
import { withStore } from './command-context.js';
import { readPassword } from './read-password.js';
import { UsageError } from './usage-error.js';

export async function userCommand(args: string[]): Promise<void> {
  const [action, username, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (action === 'list') {
    const users = await withStore(({ store }) => listUsers(store));
    if (users.length === 0) console.log('no users');
    for (const u of users) console.log(`${u.username}\tid=${u.id}\tpassword=${u.password}`);
    return;
  }
  if (!['add', 'passwd', 'remove'].includes(action ?? '')) throw new UsageError('usage: holodule user add|list|passwd|remove NAME');
  if (!username) throw new UsageError(`usage: holodule user ${action} NAME`);
  if (action === 'remove') {
    await withStore(({ store }) => removeUser(store, username));
    console.log(`removed user ${username}`);
    return;
  }
  const password = await readPassword({ confirm: true });
  await withStore(async ({ config, store, hasher }) => {
    const deps = { store, hasher, minPasswordLength: config.passwords.minLength };
    if (action === 'add') await addUser(deps, username, password);
    else await changePassword(deps, username, password);
  });
  console.log(action === 'add' ? `added user ${username}` : `changed the password of ${username}`);
}
