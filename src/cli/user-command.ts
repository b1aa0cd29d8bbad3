// holodule user add|list|passwd|remove|role NAME
import { addUser, changePassword, listUsers, removeUser, setRole } from '../domain/users.js';
import { withStore } from './command-context.js';
import { readPassword } from './read-password.js';
import { UsageError } from './usage-error.js';

export async function userCommand(argv: string[]): Promise<void> {
  const admin = argv.includes('--admin');
  const args = argv.filter((a) => a !== '--admin');
  if (admin && args[0] !== 'add') throw new UsageError('--admin goes with: holodule user add NAME --admin');
  const [action, username, ...rest] = args;
  if (action === 'role') {
    const [role, ...more] = rest;
    if (!username || (role !== 'admin' && role !== 'user') || more.length > 0) {
      throw new UsageError('usage: holodule user role NAME admin|user');
    }
    await withStore(({ store }) => setRole(store, username, role));
    console.log(`${username} is now ${role === 'admin' ? 'an admin' : 'a user'}`);
    return;
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (action === 'list') {
    const users = await withStore(({ store }) => listUsers(store));
    if (users.length === 0) console.log('no users');
    for (const u of users) {
      console.log(`${u.username}\tid=${u.id}\trole=${u.role}${u.disabled ? '\tdisabled' : ''}\tpassword=${u.password}`);
    }
    return;
  }
  if (!['add', 'passwd', 'remove'].includes(action ?? '')) {
    throw new UsageError('usage: holodule user add|list|passwd|remove|role NAME');
  }
  if (!username) throw new UsageError(`usage: holodule user ${action} NAME`);
  if (action === 'remove') {
    await withStore(({ store }) => removeUser(store, username));
    console.log(`removed user ${username}`);
    return;
  }
  const password = await readPassword({ confirm: true });
  await withStore(async ({ config, store, hasher }) => {
    const deps = { store, hasher, minPasswordLength: config.passwords.minLength };
    if (action === 'add') await addUser(deps, username, password, admin ? 'admin' : 'user');
    else await changePassword(deps, username, password);
  });
  console.log(action === 'add' ? `added user ${username}` : `changed the password of ${username}`);
}
