import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './app-config';
import { configSecrets, redactConfig, redactUrl } from './redact-config';

describe('redactConfig', () => {
  const token = 'api-token-0123456789';
  const keyHex = '5c'.repeat(32);
  const cfg = loadConfig({
    API_TOKEN: token,
    SECRET_KEY: keyHex,
    DATABASE_URL: 'postgres://wyze:pg-s3cret@db:5432/nvr?sslmode=require',
    REDIS_URL: 'redis://:redis-s3cret@cache:6379/0',
  });

  test('replaces token, key and URL passwords; keeps the rest', () => {
    const r = redactConfig(cfg);
    assert.equal(r.apiToken, '[redacted]');
    assert.equal(r.secretKey, '[redacted]');
    assert.equal(r.databaseUrl, 'postgres://wyze:[redacted]@db:5432/nvr?sslmode=require');
    assert.equal(r.redisUrl, 'redis://:[redacted]@cache:6379/0');
    assert.equal(r.apiPort, cfg.apiPort);
    assert.equal(r.dataDir, cfg.dataDir);
    const text = JSON.stringify(r);
    for (const secret of [token, keyHex, 'pg-s3cret', 'redis-s3cret']) assert.ok(!text.includes(secret), secret);
  });

  test('absent secrets stay absent rather than claiming a value', () => {
    const r = redactConfig(loadConfig({}));
    assert.equal(r.apiToken, undefined);
    assert.equal(r.secretKey, undefined);
    assert.equal(r.databaseUrl, undefined);
  });

  test('redactUrl', () => {
    assert.equal(redactUrl('postgres://db/nvr'), 'postgres://db/nvr');
    assert.equal(redactUrl('postgres://user@db/nvr'), 'postgres://user@db/nvr');
    assert.equal(redactUrl('postgres://u:p@ss@db/nvr'), 'postgres://u:[redacted]@db/nvr');
    assert.equal(redactUrl('postgres://db/nvr?user=u&password=pw&x=1'), 'postgres://db/nvr?user=u&password=[redacted]&x=1');
  });

  test('configSecrets lists what the log must never show', () => {
    const secrets = configSecrets(cfg);
    for (const s of [token, keyHex, Buffer.from(keyHex, 'hex').toString('base64'), 'pg-s3cret', 'redis-s3cret']) {
      assert.ok(secrets.includes(s), s);
    }
    assert.deepEqual(configSecrets(loadConfig({})), []);
  });
});
