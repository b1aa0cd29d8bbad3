import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const trustProxyOf = (value: string) => loadConfig({ HOLODULE_TRUST_PROXY: value }).trustProxy;

describe('HOLODULE_TRUST_PROXY', () => {
  it('is false when unset, and keeps reading true and false as before', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(trustProxyOf('true'), true);
    assert.equal(trustProxyOf('ON'), true);
    assert.equal(trustProxyOf('false'), false);
    assert.equal(trustProxyOf('0'), false);
  });

  it('takes proxy addresses and CIDR ranges, IPv4 and IPv6, separated by commas', () => {
    assert.deepEqual(trustProxyOf('10.0.0.5'), ['10.0.0.5']);
    assert.deepEqual(trustProxyOf(' 10.0.0.5 , 192.168.0.0/16,fd00::/8, ::1 ,0.0.0.0/0'), [
      '10.0.0.5',
      '192.168.0.0/16',
      'fd00::/8',
      '::1',
      '0.0.0.0/0',
    ]);
    assert.deepEqual(trustProxyOf('loopback,uniquelocal'), ['loopback', 'uniquelocal']);
  });

  it('refuses anything else in one line naming the variable and the bad entry', () => {
    for (const [value, bad] of [
      ['maybe', 'maybe'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['fd00::/129', 'fd00::/129'],
      ['10.0.0.1/', '10.0.0.1/'],
      ['10.0.0.1/8/8', '10.0.0.1/8/8'],
      ['10.0.0.1/x', '10.0.0.1/x'],
      ['300.0.0.1', '300.0.0.1'],
      ['proxy.example.com', 'proxy.example.com'],
      ['10.0.0.1,,10.0.0.2', ''],
      ['10.0.0.1, true', 'true'],
      ['2', '2'],
    ] as const) {
      assert.throws(
        () => trustProxyOf(value),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.variable === 'HOLODULE_TRUST_PROXY' &&
          err.message.includes(`"${bad}" is none of these`) &&
          !err.message.includes('\n'),
        value,
      );
    }
  });
});
