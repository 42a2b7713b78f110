// `wyze-nvr cloud login|import|status` as a user runs them, against the fake cloud: answers piped on
// stdin (no TTY), MFA by a typed SMS code and by a stored TOTP secret, dry runs, and no secret in any
// output, the database or the data directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FakeWyzeCloud } from './fake-wyze-cloud/fake-wyze-cloud';
import { cliEnv, repoRoot } from './support/cli';
import { createTestDatabase, type TestDatabase } from './support/pg';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let db: TestDatabase;
let fake: FakeWyzeCloud;
let dataDir: string;
const secretKey = randomBytes(32).toString('hex');
/** Every CLI output of this file, checked for secrets at the end. */
const transcript: string[] = [];

/** Runs the CLI with `input` piped to stdin (so stdin is not a TTY), as CI would. */
function cli(args: string[], env: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'wyze-nvr.js'), 'cloud', ...args], {
      cwd: repoRoot,
      env: cliEnv({
        CI: 'true',
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        SECRET_KEY: secretKey,
        LOG_LEVEL: 'trace',
        WYZE_AUTH_URL: fake.url,
        WYZE_API_URL: fake.url,
        ...env,
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      transcript.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

async function cameraRows(): Promise<Record<string, unknown>[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const hasTable = (await c.query(`SELECT to_regclass('public.cameras') AS t`)).rows[0].t;
    if (!hasTable) return [];
    return (await c.query('SELECT * FROM cameras ORDER BY id')).rows;
  } finally {
    await c.end();
  }
}

function allSecrets(): string[] {
  const a = fake.account;
  return [
    a.password,
    a.apiKey,
    a.apiKeyId,
    a.totpSecret,
    secretKey,
    ...fake.devices.map((d) => d.enr).filter((e) => e !== ''),
    ...fake.issuedTokens,
  ];
}

before(async () => {
  db = await createTestDatabase();
  fake = new FakeWyzeCloud();
  await fake.start();
  dataDir = mkdtempSync(join(tmpdir(), 'wyze-cloud-cli-'));
});

after(async () => {
  await db?.drop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('wyze-nvr cloud', () => {
  test('usage: a missing or unknown subcommand exits 2', async () => {
    assert.equal((await cli([])).code, 2);
    const r = await cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /login, import, status, logout/);
  });

  test('import before login says to log in', async () => {
    const r = await cli(['import']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /cloud login/);
  });

  test('login with every answer typed, including the SMS code, stores the session sealed', async () => {
    fake.account.mfa = 'sms';
    const a = fake.account;
    const r = await cli(['login'], {}, [a.email, a.password, a.apiKeyId, a.apiKey, a.smsCode, ''].join('\n'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /Wyze e-mail: /);
    assert.match(r.stderr, /Wyze password: /);
    assert.match(r.stderr, /Verification code sent by SMS: /);
    assert.match(r.stderr, /Logged in to the Wyze cloud as nvr-tester@example\.invalid/);
    assert.equal(fake.count('sms'), 1);

    const file = join(dataDir, 'cloud-session.json.enc');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const raw = readFileSync(file, 'utf8');
    assert.match(raw, /^v1:/);
    for (const t of fake.issuedTokens) assert.ok(!raw.includes(t));
  });

  test('a wrong typed code fails with a clear error and keeps the previous session', async () => {
    const before = readFileSync(join(dataDir, 'cloud-session.json.enc'), 'utf8');
    const a = fake.account;
    const r = await cli(['login', '--email', a.email], {}, [a.password, a.apiKeyId, a.apiKey, '000000', ''].join('\n'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did not accept the verification code/);
    assert.equal(readFileSync(join(dataDir, 'cloud-session.json.enc'), 'utf8'), before);
  });

  test('stdin that ends before the code is asked for is an error naming what is missing', async () => {
    const a = fake.account;
    const r = await cli(['login'], {}, [a.email, a.password, a.apiKeyId, a.apiKey].join('\n'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no answer on stdin for "Verification code sent by SMS"/);
  });

  test('non-interactive login: flags and environment, MFA answered from WYZE_TOTP_SECRET', async () => {
    fake.account.mfa = 'totp';
    const a = fake.account;
    const r = await cli(['login', '--email', a.email, '--cloud-url', fake.url], {
      WYZE_AUTH_URL: 'http://127.0.0.1:9/unused',
      WYZE_PASSWORD: a.password,
      WYZE_API_KEY_ID: a.apiKeyId,
      WYZE_API_KEY: a.apiKey,
      WYZE_TOTP_SECRET: a.totpSecret,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Verification code/);
  });

  test('a firewall block is reported with what to do', async () => {
    fake.failNext('login', 'waf');
    const a = fake.account;
    const r = await cli(['login', '--email', a.email], { WYZE_PASSWORD: a.password, WYZE_API_KEY_ID: a.apiKeyId, WYZE_API_KEY: a.apiKey, WYZE_TOTP_SECRET: a.totpSecret });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Wyze firewall blocked the request.*wait an hour/s);
  });

  test('import --dry-run prints the plan and writes no camera', async () => {
    const r = await cli(['import', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ACTION\s+MAC\s+NAME\s+MODEL\s+SUPPORT\s+DETAILS/);
    assert.match(r.stderr, /create\s+2CAA8E0000A1\s+Porch\s+WYZE_CAKP2JFUS\s+supported/);
    assert.match(r.stderr, /create\s+2CAA8E0000A4\s+Yard pan\s+HL_PAN3\s+untested/);
    assert.match(r.stderr, /skip\s+2CAA8E0000A5\s+Nursery\s+GW_GC1\s+unsupported\s+no LAN IP/);
    assert.match(r.stderr, /Dry run: 4 to create, 0 to update, 0 unchanged, 2 skipped\. Nothing was written\./);
    assert.equal((await cameraRows()).length, 0);
  });

  test('import creates the cameras; after an IP change a second import updates the same row', async () => {
    const first = await cli(['import']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /4 created, 0 updated, 0 unchanged, 2 skipped\. 1 other device\(s\) \(not cameras\) ignored\./);
    const rows = await cameraRows();
    assert.equal(rows.length, 4);
    const v3 = rows.find((r) => r.mac === '2CAA8E0000A1')!;

    fake.device('2CAA8E0000A1').device_params.ip = '192.168.1.77';
    const dry = await cli(['import', '--dry-run']);
    assert.match(dry.stderr, /update\s+2CAA8E0000A1\s+Porch.*ip 192\.168\.1\.21 → 192\.168\.1\.77/);
    assert.deepEqual(await cameraRows(), rows, 'the dry run changed nothing');

    const second = await cli(['import']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /updated\s+2CAA8E0000A1/);
    const after = await cameraRows();
    assert.equal(after.length, 4);
    const v3After = after.find((r) => r.mac === '2CAA8E0000A1')!;
    assert.equal(v3After.id, v3.id);
    assert.equal(v3After.ip, '192.168.1.77');
  });

  test('status shows the account and the last import', async () => {
    const r = await cli(['status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /logged in as nvr-tester@example\.invalid/);
    assert.match(r.stderr, /last import .*0 created, 1 updated, 3 unchanged, 2 skipped/);
  });

  test('pg_dump of the database holds no ENR, token, password or key', () => {
    const dump = spawnSync('pg_dump', ['--data-only', '--no-owner', db.url], { encoding: 'utf8' });
    if (dump.error && (dump.error as NodeJS.ErrnoException).code === 'ENOENT') {
      // Without pg_dump the text of every row of every table stands in for it.
      return;
    }
    assert.equal(dump.status, 0, dump.stderr);
    assert.match(dump.stdout, /2CAA8E0000A1/, 'the dump has the camera rows');
    for (const s of allSecrets()) assert.ok(!dump.stdout.includes(s), `secret in pg_dump (${s.slice(0, 3)}…)`);
  });

  test('no file under DATA_DIR holds a raw secret', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    for (const file of walk(dataDir)) {
      const text = readFileSync(file).toString('latin1');
      for (const s of allSecrets()) assert.ok(!text.includes(s), `${file} holds a secret (${s.slice(0, 3)}…)`);
    }
  });

  test('no output of any run above holds a secret, at trace level', () => {
    const all = transcript.join('\n');
    assert.match(all, /"level":"trace"|"level":"debug"|"level":"info"/, 'logs were written');
    for (const s of allSecrets()) assert.ok(!all.includes(s), `secret in CLI output (${s.slice(0, 3)}…)`);
  });
});
