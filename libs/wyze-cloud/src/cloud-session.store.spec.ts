import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCloudSessionStore, type StoredCloudSession } from './cloud-session.store';
import { WyzeCloudError } from './wyze-cloud.error';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wyze-session-'));
  dirs.push(d);
  return join(d, 'data');
}

const session: StoredCloudSession = {
  email: 'someone@example.invalid',
  tokens: { accessToken: `fake-access-${randomBytes(8).toString('hex')}`, refreshToken: `fake-refresh-${randomBytes(8).toString('hex')}`, userId: 'u-1', phoneId: '0123456789abcdef' },
  loggedInAt: '2026-01-01T00:00:00.000Z',
};

describe('FileCloudSessionStore', () => {
  test('round-trips the session; the file is sealed and mode 0600', async () => {
    const dir = dataDir();
    const store = new FileCloudSessionStore(dir, randomBytes(32));
    assert.equal(await store.load(), undefined);
    await store.save(session);
    assert.deepEqual(await store.load(), session);
    const raw = readFileSync(store.path, 'utf8');
    assert.ok(!raw.includes(session.tokens.accessToken) && !raw.includes(session.tokens.refreshToken) && !raw.includes(session.email));
    if (process.platform !== 'win32') assert.equal(statSync(store.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['cloud-session.json.enc']);
  });

  test('another SECRET_KEY cannot open it: not-logged-in, no secret in the message', async () => {
    const dir = dataDir();
    await new FileCloudSessionStore(dir, randomBytes(32)).save(session);
    await assert.rejects(new FileCloudSessionStore(dir, randomBytes(32)).load(), (e: unknown) => {
      assert.ok(e instanceof WyzeCloudError);
      assert.equal(e.code, 'not-logged-in');
      assert.ok(!e.message.includes(session.tokens.accessToken));
      return true;
    });
  });

  test('a garbled file is not-logged-in', async () => {
    const dir = dataDir();
    const store = new FileCloudSessionStore(dir, randomBytes(32));
    await store.save(session);
    writeFileSync(store.path, 'v1:AAAA');
    await assert.rejects(store.load(), (e: unknown) => e instanceof WyzeCloudError && e.code === 'not-logged-in');
  });

  test('clear removes it, twice without error', async () => {
    const store = new FileCloudSessionStore(dataDir(), randomBytes(32));
    await store.save(session);
    await store.clear();
    await store.clear();
    assert.equal(await store.load(), undefined);
  });
});
