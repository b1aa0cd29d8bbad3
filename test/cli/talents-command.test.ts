import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { generatedCode, TalentDirectory } from '../../src/talents/directory.js';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('holodule talents', () => {
  function setup(t: { after: (fn: () => void) => void }) {
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const env = { HOLODULE_DATA_DIR: dir.path, HOLODULE_SAMPLE_DATA: 'false' };
    const withStore = async <T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> => {
      const store = new SqliteStore(join(dir.path, 'holodule.sqlite'));
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    };
    return { env, withStore };
  }

  it('names a talent the collector met, and lists it in its new group', async (t) => {
    const { env, withStore } = setup(t);
    const code = generatedCode('新人ちゃん');
    await withStore((store) => store.talents.update(code, { seen_name: '新人ちゃん' }));

    const set = await runCli(['talents', 'set', code, '--name-en', 'Newcomer', '--group', 'holostars_en'], { env });
    const listed = await runCli(['talents', 'list', '--group', 'holostars_en'], { env });

    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, `${code}\tholostars_en\t新人ちゃん\tNewcomer\t-\t-\n`);
    assert.match(listed.stdout, new RegExp(`^${code}\\tholostars_en`, 'm'));
    const directory = await withStore(async (store) => new TalentDirectory(await store.talents.list()));
    assert.equal(directory.talent(code)?.name_en, 'Newcomer');
  });

  it('takes a correction back with an empty value', async (t) => {
    const { env } = setup(t);
    await runCli(['talents', 'set', 'HL0001', '--name-en', 'Sora'], { env });
    const back = await runCli(['talents', 'set', 'HL0001', '--name-en', ''], { env });
    assert.match(back.stdout, /^HL0001\thololive_jp_0\tときのそら\tTokino Sora\t/);
  });

  it('refuses an unknown code, group or flag with a message and a non-zero exit', async (t) => {
    const { env } = setup(t);
    const unknown = await runCli(['talents', 'set', 'XX00000000', '--name', 'x'], { env });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not in the directory/);
    const group = await runCli(['talents', 'set', 'HL0001', '--group', 'nope'], { env });
    assert.equal(group.code, 1);
    assert.match(group.stderr, /group "nope" does not exist/);
    const flag = await runCli(['talents', 'set', 'HL0001', '--colour', 'red'], { env });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /usage: holodule talents/);
  });
});
