import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { displayHosts, mongoConnection } from '../../src/store/mongo/connection.js';

it('connects with the original MONGODB_HOST, USER and PASSWORD, checked against admin', () => {
  const config = loadConfig({ MONGODB_HOST: 'db.example:27017', MONGODB_USER: 'holo', MONGODB_PASSWORD: 'p@ss:/word' });

  const sut = mongoConnection(config.mongo);

  assert.equal(config.store, 'mongodb');
  assert.equal(config.mongo.database, 'holoduledb');
  assert.equal(sut.url, 'mongodb://db.example:27017/');
  assert.deepEqual(sut.options.auth, { username: 'holo', password: 'p@ss:/word' });
  assert.equal(sut.options.authSource, 'admin');
});

it('uses MONGODB_URL as given, with its credentials, and never shows them', () => {
  const sut = mongoConnection(
    loadConfig({ MONGODB_URL: 'mongodb://holo:secret@a:27017,b:27017/?replicaSet=rs0&w=majority' }).mongo,
  );

  assert.equal(sut.url, 'mongodb://holo:secret@a:27017,b:27017/?replicaSet=rs0&w=majority');
  assert.equal(sut.options.auth, undefined);
  assert.equal(sut.display, 'a:27017,b:27017');
  assert.equal(displayHosts('mongodb+srv://u:p@cluster0.example.net/holoduledb'), 'cluster0.example.net');
});

it('takes the database from HOLODULE_MONGODB_DATABASE, else the URL path, else holoduledb', () => {
  assert.equal(loadConfig({ MONGODB_URL: 'mongodb://a/' }).mongo.database, 'holoduledb');
  assert.equal(loadConfig({ MONGODB_URL: 'mongodb://u:p@a/schedule?authSource=admin' }).mongo.database, 'schedule');
  assert.equal(
    loadConfig({ MONGODB_URL: 'mongodb://a/schedule', HOLODULE_MONGODB_DATABASE: 'other' }).mongo.database,
    'other',
  );
});

it('bounds server selection by HOLODULE_MONGODB_TIMEOUT_MS unless the URL sets its own', () => {
  const byDefault = mongoConnection(loadConfig({ MONGODB_URL: 'mongodb://a/' }).mongo);
  const fromUrl = mongoConnection(loadConfig({ MONGODB_URL: 'mongodb://a/?serverSelectionTimeoutMS=9000' }).mongo);
  const explicit = mongoConnection(
    loadConfig({ MONGODB_URL: 'mongodb://a/?serverSelectionTimeoutMS=9000', HOLODULE_MONGODB_TIMEOUT_MS: '800' }).mongo,
  );

  assert.equal(byDefault.options.serverSelectionTimeoutMS, 5000);
  assert.equal(fromUrl.options.serverSelectionTimeoutMS, undefined);
  assert.equal(explicit.options.serverSelectionTimeoutMS, 800);
});

it('names the variable when the MongoDB settings are unusable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ HOLODULE_STORE: 'mongodb' }, 'HOLODULE_STORE'],
    [{ MONGODB_URL: 'http://a/' }, 'MONGODB_URL'],
    [{ MONGODB_URL: 'mongodb://a/', MONGODB_HOST: 'b' }, 'MONGODB_URL'],
    [{ MONGODB_HOST: 'mongodb://a/' }, 'MONGODB_HOST'],
    [{ MONGODB_HOST: 'a', MONGODB_USER: 'u' }, 'MONGODB_PASSWORD'],
    [{ MONGODB_HOST: 'a', MONGODB_PASSWORD: 'p' }, 'MONGODB_USER'],
    [{ MONGODB_HOST: 'a', HOLODULE_MONGODB_TIMEOUT_MS: 'soon' }, 'HOLODULE_MONGODB_TIMEOUT_MS'],
    [{ MONGODB_HOST: 'a', HOLODULE_MONGODB_DATABASE: 'holo dule' }, 'HOLODULE_MONGODB_DATABASE'],
    [{ MONGODB_URL: 'mongodb://a/holo.dule' }, 'MONGODB_URL'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && err.variable === variable,
      JSON.stringify(env),
    );
  }
});
