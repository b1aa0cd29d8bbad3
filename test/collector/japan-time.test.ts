import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contractDatetime, fromJapanTime, inferYear } from '../../src/collector/japan-time.js';

describe('Japan time', () => {
  it('writes the contract datetime in Japan time', () => {
    assert.equal(contractDatetime(new Date('2020-12-09T14:00:00Z')), '20201209 230000');
    assert.equal(contractDatetime(new Date('2020-12-09T15:00:00Z')), '20201210 000000');
  });

  it('rolls an hour past 24 into the next day', () => {
    assert.equal(contractDatetime(fromJapanTime({ year: 2020, month: 12, day: 31 }, 25, 30)), '20210101 013000');
  });

  it('infers the year nearest the fetch date, across New Year both ways', () => {
    const lateDecember = new Date('2026-12-30T12:00:00Z');
    const earlyJanuary = new Date('2027-01-02T12:00:00Z');
    assert.equal(inferYear(1, 1, lateDecember), 2027);
    assert.equal(inferYear(12, 31, earlyJanuary), 2026);
    assert.equal(inferYear(12, 30, lateDecember), 2026);
    assert.equal(inferYear(11, 30, lateDecember), 2026);
  });

  it('only picks a year in which the day exists', () => {
    assert.equal(inferYear(2, 29, new Date('2027-03-01T00:00:00Z')), 2028);
  });
});
