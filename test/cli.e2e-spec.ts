// The `wyze-nvr` command: usage errors, configuration errors that name the variable, and secrets that
// never reach the logs of a real start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@wyze-nvr/config';
import { CameraEntity, createDataSource, runMigrations } from '@wyze-nvr/db';
import { commands } from '../apps/cli/src/commands';
import { createTestDatabase, type TestDatabase } from './support/pg';
import { CliProcess, cliEnv, repoRoot, runCliSync } from './support/cli';

describe('usage', () => {
  test('no command prints usage and exits 2', () => {
    const r = runCliSync([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: wyze-nvr <command>/);
  });
  test('an unknown command prints usage and exits 2', () => {
    const r = runCliSync(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
    assert.match(r.stderr, /demo/);
  });
  test('an unknown flag prints the command usage and exits 2', () => {
    const r = runCliSync(['migrate', '--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--bogus/);
    assert.match(r.stderr, /usage: wyze-nvr migrate/);
  });
  test('--help prints usage and exits 0', () => {
    const r = runCliSync(['--help']);
    assert.equal(r.status, 0);
    for (const c of ['demo', 'record', 'api', 'migrate']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });
});

describe('start-up: a command loads what it uses, no more', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wyze-startup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // Writes the files the process loaded, at exit.
  const preload = join(dir, 'loaded-modules.js');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\\n')));\n`);
  const bin = join(repoRoot, 'bin', 'wyze-nvr.js');
  /** What probe and camera-sim must not load: the API's, the recorder's and the database's dependencies. */
  const heavy = /node_modules\/(@nestjs|typeorm|typeorm-pglite|@electric-sql\/pglite|pg|bullmq|ioredis|express|class-validator|pino|zod)\//;

  function loadedBy(file: string): string[] {
    return readFileSync(file, 'utf8').split('\n');
  }

  test('probe loads neither Nest, TypeORM, PGlite, BullMQ, pino nor zod', () => {
    const out = join(dir, 'probe.txt');
    const r = spawnSync(process.execPath, ['-r', preload, bin, 'probe', '--host', '127.0.0.1', '--port', '9', '--uid', 'NOBODYHERE1234567890', '--mac', '000000000000', '--timeout', '200', '--seconds', '0'], {
      cwd: repoRoot,
      env: cliEnv({ WYZE_ENR: 'x'.repeat(16), LOADED_MODULES_FILE: out }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    // It ran to its end: a discovery timeout, everything it imports loaded.
    assert.match(r.stdout, /FAILED: discovery phase/);
    const loaded = loadedBy(out);
    assert.ok(loaded.some((f) => f.endsWith('camera-session.ts')), 'the client was loaded');
    assert.deepEqual(loaded.filter((f) => heavy.test(f)), []);
  });

  test('camera-sim loads neither Nest, TypeORM, PGlite, BullMQ, pino nor zod', async () => {
    const out = join(dir, 'camera-sim.txt');
    const child = spawn(process.execPath, ['-r', preload, bin, 'camera-sim', '--host', '127.0.0.1', '--port', '0'], { cwd: repoRoot, env: cliEnv({ LOADED_MODULES_FILE: out }), stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('"event":"camera"')) resolve();
      });
      void exited.then(() => reject(new Error(`camera-sim exited:\n${stdout}`)));
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const loaded = loadedBy(out);
    assert.ok(loaded.some((f) => f.endsWith('camera-device.ts')), 'the emulator was loaded');
    assert.deepEqual(loaded.filter((f) => heavy.test(f)), []);
  });

  test('from source, a second start of the same files loads no compiler (the transpile cache serves them)', () => {
    const run = (n: number) => {
      const out = join(dir, `register-${n}.txt`);
      const r = spawnSync(process.execPath, ['-r', join(repoRoot, 'scripts', 'register.js'), '-r', preload, '-e', "require('./apps/cli/src/cli.ts')"], { cwd: repoRoot, env: cliEnv({ LOADED_MODULES_FILE: out }), encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return loadedBy(out);
    };
    run(1);
    const second = run(2);
    assert.ok(second.some((f) => f.endsWith('apps/cli/src/cli.ts')));
    assert.deepEqual(second.filter((f) => /node_modules\/(@swc|@swc-node|typescript)\//.test(f)), []);
  });

  // `npm test` builds first; a lone run of this file without dist/ skips it.
  const dist = join(repoRoot, 'dist', 'apps', 'cli');
  test('compiled (WYZE_NVR_DIST=1), every command module loads: `<command> --help` exits 0 with its usage', { skip: !existsSync(dist) && 'no dist/: npm run build' }, () => {
    for (const { name } of commands) {
      const r = runCliSync([name, '--help'], { WYZE_NVR_DIST: '1' });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: wyze-nvr ${name}`));
    }
  });

  test('the command list says what each command says of itself', async () => {
    for (const entry of commands) {
      const c = await entry.load();
      assert.deepEqual([c.name, c.summary], [entry.name, entry.summary]);
    }
  });
});

describe('configuration errors stop startup naming the variable', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-cfg-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['missing API_TOKEN for the api', ['api'], {}, /API_TOKEN: required but not set/],
    ['malformed API_PORT', ['api'], { API_TOKEN: 'x'.repeat(32), API_PORT: 'eighty' }, /API_PORT/],
    ['out-of-range API_PORT', ['record'], { API_PORT: '70000' }, /API_PORT/],
    ['malformed DATABASE_URL', ['record'], { DATABASE_URL: 'mysql://localhost/x' }, /DATABASE_URL/],
    ['malformed REDIS_URL', ['record'], { REDIS_URL: 'http://localhost' }, /REDIS_URL/],
    ['malformed SECRET_KEY', ['record'], { SECRET_KEY: 'tooshort' }, /SECRET_KEY/],
    ['unknown LOG_LEVEL', ['migrate'], { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['a short API_TOKEN', ['api'], { API_TOKEN: 'abc' }, /API_TOKEN/],
    ['an http:// MQTT_URL for the recorder', ['record'], { MQTT_URL: 'http://nvr@broker' }, /MQTT_URL: expected an mqtt:\/\/ or mqtts:\/\/ URL/],
    ['an MQTT_TOPIC_PREFIX with a wildcard for the demo', ['demo', '--no-camera'], { MQTT_URL: 'mqtt://broker', MQTT_TOPIC_PREFIX: 'nvr/#' }, /MQTT_TOPIC_PREFIX/],
  ];
  for (const [title, args, env, pattern] of cases) {
    test(title, () => {
      const r = runCliSync(args, { DATA_DIR: dataDir, ...env });
      assert.notEqual(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /configuration error/);
    });
  }
  test('secret values are not echoed in the error', () => {
    const token = 'tok' + randomBytes(3).toString('hex');
    const r = runCliSync(['api'], { DATA_DIR: dataDir, API_TOKEN: token, API_PORT: 'x' });
    assert.notEqual(r.status, 0);
    assert.ok(!(r.stdout + r.stderr).includes(token));
    const password = 'pw' + randomBytes(3).toString('hex');
    const m = runCliSync(['record'], { DATA_DIR: dataDir, MQTT_URL: `ws://nvr:${password}@broker` });
    assert.match(m.stderr, /MQTT_URL/);
    assert.ok(!(m.stdout + m.stderr).includes(password));
  });
});

describe('a recorder start with a real-looking camera key logs it nowhere', () => {
  let db: TestDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-enr-'));
  // Same shape as a real ENR: 16 printable characters of mixed case, digits and symbols.
  const enr = 'Qz8+' + randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 12);
  const secretKey = randomBytes(32);
  const apiToken = randomBytes(24).toString('hex');

  before(async () => {
    db = await createTestDatabase();
    const ds = createDataSource({ url: db.url });
    await ds.initialize();
    await runMigrations(ds);
    await ds.getRepository(CameraEntity).save({
      name: 'porch',
      uid: 'ABCDEFGHJKLMNPQRSTU1',
      enrEncrypted: new SecretBox(secretKey).encrypt(enr),
      mac: '2CAA8E000001',
      ip: '127.0.0.1',
      port: 32761,
      model: 'HL_CAM4',
      enabled: true,
    });
    await ds.destroy();
  });
  after(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('trace-level logs of `record` contain neither the ENR nor any configured secret', async () => {
    const p = new CliProcess(['record'], {
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      SECRET_KEY: secretKey.toString('hex'),
      API_TOKEN: apiToken,
      LOG_LEVEL: 'trace',
    });
    try {
      await p.waitFor(/recorder started with 1 enabled camera/);
    } finally {
      await p.stop();
    }
    // The camera row was really read and logged (so the check below is about what is logged, not absence);
    // no logged camera object carries an ENR field, redacted or not.
    assert.match(p.output, /"msg":"camera loaded"/);
    assert.doesNotMatch(p.output, /"enr"/i);
    assert.match(p.output, /ABCDEFGHJKLMNPQRSTU1/);
    for (const secret of [enr, secretKey.toString('hex'), secretKey.toString('base64'), apiToken]) {
      assert.ok(!p.output.includes(secret), `secret found in logs: ${secret.slice(0, 3)}…`);
    }
  });
});
