import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { generateToken, loadOrCreateSecretKey, parseSecretKey, resolveSecretKey } from './secret-key';
import { loadConfig } from './app-config';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nvr-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('secret key file', () => {
  test('created once with mode 0600, then read back unchanged', () => {
    const dir = join(tempDir(), 'nested');
    const first = loadOrCreateSecretKey(dir);
    assert.equal(first.created, true);
    assert.equal(first.key.length, 32);
    if (process.platform !== 'win32') assert.equal(statSync(first.path).mode & 0o777, 0o600);
    assert.deepEqual(parseSecretKey(readFileSync(first.path, 'utf8')), first.key);

    const second = loadOrCreateSecretKey(dir);
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
  });

  test('refuses a key file others can read', { skip: process.platform === 'win32' }, () => {
    const dir = tempDir();
    const { path } = loadOrCreateSecretKey(dir);
    chmodSync(path, 0o644);
    assert.throws(() => loadOrCreateSecretKey(dir), (err: unknown) => err instanceof ConfigError && /SECRET_KEY: .*chmod 600/.test(err.message));
  });

  test('refuses a key file with bad content, without printing it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.key'), 'not-a-key-but-secretish', { mode: 0o600 });
    assert.throws(
      () => loadOrCreateSecretKey(dir),
      (err: unknown) => err instanceof ConfigError && err.issues[0].variable === 'SECRET_KEY' && !err.message.includes('secretish'),
    );
  });

  test('resolveSecretKey prefers SECRET_KEY over the file', () => {
    const dir = tempDir();
    const fromEnv = loadConfig({ DATA_DIR: dir, SECRET_KEY: '11'.repeat(32) });
    assert.deepEqual(Buffer.from(resolveSecretKey(fromEnv)), Buffer.alloc(32, 0x11));
    assert.equal(existsSync(join(dir, 'secret.key')), false);
    const fromFile = loadConfig({ DATA_DIR: dir });
    assert.deepEqual(resolveSecretKey(fromFile), loadOrCreateSecretKey(dir).key);
  });
});

describe('generateToken', () => {
  test('is long enough for API_TOKEN and random', () => {
    const a = generateToken();
    assert.ok(a.length >= 16);
    assert.notEqual(a, generateToken());
    assert.equal(loadConfig({ API_TOKEN: a }, { require: ['API_TOKEN'] }).apiToken, a);
  });
});
