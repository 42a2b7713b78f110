import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { loadConfig } from './app-config';
import { ConfigError } from './config.error';

const TOKEN = 'tok-0123456789abcdef';
const KEY_HEX = 'a1'.repeat(32);

function configError(env: Record<string, string | undefined>, require?: Parameters<typeof loadConfig>[1]): ConfigError {
  try {
    loadConfig(env, require);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('loadConfig accepted the environment');
}

describe('loadConfig defaults', () => {
  test('an empty environment gives the embedded defaults', () => {
    const cfg = loadConfig({});
    assert.equal(cfg.databaseUrl, undefined);
    assert.equal(cfg.redisUrl, undefined);
    assert.equal(cfg.dataDir, resolve('./data'));
    assert.equal(cfg.recordingsDir, join(resolve('./data'), 'recordings'));
    assert.equal(cfg.apiHost, '127.0.0.1');
    assert.equal(cfg.apiPort, 8080);
    assert.equal(cfg.apiToken, undefined);
    assert.equal(cfg.secretKey, undefined);
    assert.equal(cfg.logLevel, 'info');
    assert.equal(cfg.segmentSeconds, 60);
    assert.equal(cfg.sessionIdleSeconds, 7 * 86_400);
  });

  test('RECORDINGS_DIR follows DATA_DIR unless given', () => {
    assert.equal(loadConfig({ DATA_DIR: '/srv/nvr' }).recordingsDir, '/srv/nvr/recordings');
    assert.equal(loadConfig({ DATA_DIR: '/srv/nvr', RECORDINGS_DIR: '/mnt/rec' }).recordingsDir, '/mnt/rec');
  });

  test('empty values, as an env file writes them, count as unset', () => {
    const cfg = loadConfig({ API_TOKEN: '', SECRET_KEY: '  ', API_PORT: '', DATABASE_URL: '' });
    assert.equal(cfg.apiToken, undefined);
    assert.equal(cfg.secretKey, undefined);
    assert.equal(cfg.apiPort, 8080);
    assert.equal(cfg.databaseUrl, undefined);
  });

  test('valid values are taken', () => {
    const cfg = loadConfig({
      DATABASE_URL: 'postgresql://wyze:pw@db:5432/nvr',
      REDIS_URL: 'rediss://cache:6380',
      API_HOST: '0.0.0.0',
      API_PORT: '9000',
      API_TOKEN: TOKEN,
      SECRET_KEY: KEY_HEX,
      LOG_LEVEL: 'DEBUG',
      SEGMENT_SECONDS: '30',
    });
    assert.equal(cfg.databaseUrl, 'postgresql://wyze:pw@db:5432/nvr');
    assert.equal(cfg.redisUrl, 'rediss://cache:6380');
    assert.equal(cfg.apiHost, '0.0.0.0');
    assert.equal(cfg.apiPort, 9000);
    assert.equal(cfg.apiToken, TOKEN);
    assert.deepEqual([...(cfg.secretKey ?? [])], Array(32).fill(0xa1));
    assert.equal(cfg.logLevel, 'debug');
    assert.equal(cfg.segmentSeconds, 30);
  });

  test('SECRET_KEY may be base64 (standard or URL-safe)', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    for (const text of [bytes.toString('base64'), bytes.toString('base64url')]) {
      assert.deepEqual(Buffer.from(loadConfig({ SECRET_KEY: text }).secretKey ?? []), bytes);
    }
  });

  test('the result is frozen', () => {
    const cfg = loadConfig({});
    assert.throws(() => {
      (cfg as { apiPort: number }).apiPort = 1;
    }, TypeError);
  });
});

describe('loadConfig errors', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['API_PORT', { API_PORT: 'abc' }, /^API_PORT: expected an integer 1\.\.65535, got "abc"$/],
    ['API_PORT', { API_PORT: '0' }, /^API_PORT: expected an integer 1\.\.65535, got "0"$/],
    ['API_PORT', { API_PORT: '65536' }, /^API_PORT: expected an integer/],
    ['API_PORT', { API_PORT: '80.5' }, /^API_PORT: expected an integer/],
    ['SEGMENT_SECONDS', { SEGMENT_SECONDS: '-5' }, /^SEGMENT_SECONDS: expected an integer 1\.\.3600, got "-5"$/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of trace\|debug\|info\|warn\|error, got "loud"$/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://u:p@h/db' }, /^DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL, got scheme "mysql:"$/],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }, /^DATABASE_URL: expected a postgres/],
    ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }, /^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    ['API_TOKEN', { API_TOKEN: 'short' }, /^API_TOKEN: must be at least 16 characters, got 5$/],
    ['SECRET_KEY', { SECRET_KEY: 'abcd' }, /^SECRET_KEY: expected 32 bytes as 64 hex characters or base64/],
    ['SECRET_KEY', { SECRET_KEY: 'g'.repeat(64) }, /^SECRET_KEY: expected 32 bytes/],
    ['API_HOST', { API_HOST: 'a b' }, /^API_HOST: expected a host name/],
    ['API_SESSION_IDLE_SECONDS', { API_SESSION_IDLE_SECONDS: '59' }, /^API_SESSION_IDLE_SECONDS: expected an integer 60\.\.31622400, got "59"$/],
  ];
  for (const [variable, env, pattern] of cases) {
    test(`${variable}=${JSON.stringify(Object.values(env)[0])} is rejected by name`, () => {
      const err = configError(env);
      assert.equal(err.issues.length, 1);
      assert.equal(err.issues[0].variable, variable);
      assert.match(`${err.issues[0].variable}: ${err.issues[0].message}`, pattern);
      assert.match(err.message, new RegExp(variable));
    });
  }

  test('every bad variable is reported, not only the first', () => {
    const err = configError({ API_PORT: 'x', LOG_LEVEL: 'y', SEGMENT_SECONDS: 'z' });
    assert.deepEqual(err.issues.map((i) => i.variable).sort(), ['API_PORT', 'LOG_LEVEL', 'SEGMENT_SECONDS']);
    for (const v of ['API_PORT', 'LOG_LEVEL', 'SEGMENT_SECONDS']) assert.match(err.message, new RegExp(`${v}: `));
  });

  test('secret values never appear in the error', () => {
    const token = 'short-secret';
    const key = 'deadbeefcafe0123';
    const dbPassword = 'hunter2hunter2';
    const err = configError({ API_TOKEN: token, SECRET_KEY: key, DATABASE_URL: `mysql://u:${dbPassword}@h/db`, REDIS_URL: `redis//:${dbPassword}` });
    assert.equal(err.issues.length, 4);
    for (const secret of [token, key, dbPassword]) {
      assert.ok(!err.message.includes(secret), `error message leaks ${secret}`);
      assert.ok(!JSON.stringify(err.issues).includes(secret));
    }
  });

  test('required variables that are absent are named', () => {
    const err = configError({}, { require: ['API_TOKEN', 'SECRET_KEY', 'DATABASE_URL', 'REDIS_URL'] });
    assert.deepEqual(
      err.issues.map((i) => `${i.variable}: ${i.message}`).sort(),
      ['API_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'SECRET_KEY'].map((v) => `${v}: required but not set`),
    );
  });

  test('a required variable reported together with malformed ones', () => {
    const err = configError({ API_PORT: 'nope' }, { require: ['API_TOKEN'] });
    assert.deepEqual(err.issues.map((i) => i.variable).sort(), ['API_PORT', 'API_TOKEN']);
  });

  test('a required variable that is present passes and is typed as present', () => {
    const cfg = loadConfig({ API_TOKEN: TOKEN }, { require: ['API_TOKEN'] });
    const token: string = cfg.apiToken;
    assert.equal(token, TOKEN);
  });
});
