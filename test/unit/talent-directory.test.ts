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
