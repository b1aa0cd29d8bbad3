import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TALENTS, TalentDirectory, generatedCode } from '../../src/talents/directory.js';

describe('talent codes', () => {
  it("keeps the original's codes for the contract's examples", () => {
    const sut = new TalentDirectory();
    assert.deepEqual(
      ['ときのそら', '大神ミオ', '獅白ぼたん', '尾丸ポルカ', '魔乃アロエ'].map((name) => sut.codeFor(name).code),
      ['HL0001', 'HL0G02', 'HL0501', 'HL0503', 'HL0505'],
    );
  });

  it("holds the original's 32 codes, and no code or name twice", () => {
    assert.equal(TALENTS.filter((t) => t.origin === 'original-2020').length, 32);
    const codes = TALENTS.map((t) => t.code);
    const names = TALENTS.flatMap((t) => [t.name, ...(t.aliases ?? [])]);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(names).size, names.length);
  });

  it('finds a name whatever its spacing, width or case, and by its aliases', () => {
    const sut = new TalentDirectory();
    assert.equal(sut.codeFor('  尾丸ポルカ\n').code, 'HL0503');
    assert.equal(sut.codeFor('ＡＺＫｉ').code, 'HL0005');
    assert.equal(sut.codeFor('mori  calliope').code, 'HLEN01');
    assert.equal(sut.codeFor('ラプラス・ダークネス').code, 'HL0601');
  });

  it('gives a talent missing from the table a stable generated code that fits in a key', () => {
    const sut = new TalentDirectory();
    const first = sut.codeFor('新人ちゃん');
    assert.equal(first.known, false);
    assert.match(first.code, /^XX[0-9A-F]{8}$/);
    assert.deepEqual(new TalentDirectory().codeFor(' 新人ちゃん '), first);
    assert.notEqual(generatedCode('新人くん'), first.code);
  });
});

describe('the talent directory with the store records', () => {
  it("puts an admin's correction over the file, and keeps the file's value when a field is not corrected", () => {
    const sut = new TalentDirectory([{ code: 'HL0503', name_en: 'Polka', group: 'official' }]);
    assert.deepEqual(sut.talent('HL0503'), {
      code: 'HL0503',
      name: '尾丸ポルカ',
      name_en: 'Polka',
      group: 'official',
      avatar: null,
      channel_id: 'UCK9V2B22uJYu3N7eR_BT9QA',
      graduated: false,
    });
  });

  it('lists a name only the collector met under unknown, by the name and avatar it was shown with', () => {
    const code = generatedCode('新人ちゃん');
    const sut = new TalentDirectory([{ code, seen_name: '新人ちゃん', seen_avatar: 'https://example.test/a.png' }]);
    assert.deepEqual(
      sut.talents('unknown').map((t) => [t.code, t.name, t.avatar]),
      [[code, '新人ちゃん', 'https://example.test/a.png']],
    );
    assert.equal(sut.talentByAvatar('https://example.test/a.png')?.code, code);
    assert.equal(sut.groups().find((g) => g.id === 'unknown')?.talents, 1);
    assert.equal(sut.codeFor('新人ちゃん').code, code, 'the code never depends on the records');
  });

  it('finds talents by any of their names for text search', () => {
    const sut = new TalentDirectory();
    assert.deepEqual(sut.codesNamed('pekora'), ['HL0301']);
    assert.deepEqual(sut.codesNamed('ぺこら'), ['HL0301']);
    assert.ok(sut.codesNamed('calliope').includes('HLEN01'));
  });

  it('places every talent of the file in a group the file declares', () => {
    const groups = new Set(new TalentDirectory().groups().map((g) => g.id));
    for (const t of TALENTS) assert.ok(groups.has(t.group), `${t.code} in ${t.group}`);
  });
});
