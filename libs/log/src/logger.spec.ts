import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './logger';
import { SecretRegistry } from './secret-registry';

class Capture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l));
  }
}

const ENR = 'r4Nd0m+EnR/Key9z';

function setup(register = true) {
  const secrets = new SecretRegistry();
  if (register) assert.equal(secrets.register(ENR), true);
  const out = new Capture();
  const log = createLogger({ level: 'trace', name: 'spec', destination: out, secrets });
  return { secrets, out, log };
}

describe('createLogger', () => {
  test('writes one JSON object per line with level label, ISO time, name and bindings', () => {
    const { out, log } = setup(false);
    log.child({ cameraId: 'cam-1', requestId: 'req-9' }).info({ frames: 3 }, 'segment written');
    const [rec] = out.records();
    assert.equal(rec.level, 'info');
    assert.equal(rec.name, 'spec');
    assert.equal(rec.cameraId, 'cam-1');
    assert.equal(rec.requestId, 'req-9');
    assert.equal(rec.frames, 3);
    assert.equal(rec.msg, 'segment written');
    assert.ok(!Number.isNaN(Date.parse(String(rec.time))));
    assert.match(String(rec.time), /Z$/);
    assert.ok(out.lines[0].endsWith('\n'));
  });

  test('honours the level threshold', () => {
    const out = new Capture();
    const log = createLogger({ level: 'warn', destination: out, secrets: new SecretRegistry() });
    log.info('hidden');
    log.warn('shown');
    assert.deepEqual(out.records().map((r) => r.msg), ['shown']);
  });

  test('a registered ENR never appears: field, message, error message, stack, cause, bindings', () => {
    const { out, log } = setup();
    log.info({ camera: { uid: 'UID1', enr: ENR } }, 'login');
    log.info({ note: `key is ${ENR}` }, 'field under an innocent name');
    log.warn(`connecting with key ${ENR}`);
    log.error(new Error(`DTLS failed for key ${ENR}`));
    log.error({ err: new Error('outer', { cause: new Error(`inner ${ENR}`) }) }, 'nested cause');
    log.child({ session: `s-${ENR}` }).info('child binding');
    log.info({ list: [ENR, { deep: [{ deeper: ENR }] }] }, 'arrays');

    assert.equal(out.lines.length, 7);
    assert.ok(!out.text.includes(ENR), out.text);
    assert.ok(out.text.includes('[redacted]'));
    // The error stayed useful: type, message shape and stack survive around the hole.
    const err = out.records()[3].err as Record<string, unknown>;
    assert.equal(err.type, 'Error');
    assert.equal(err.message, 'DTLS failed for key [redacted]');
    assert.match(String(err.stack), /DTLS failed for key \[redacted\]\n\s+at /);
  });

  test('control: an unregistered value is written as is', () => {
    const { out, log } = setup(false);
    log.warn(`connecting with key ${ENR}`);
    assert.ok(out.text.includes(ENR));
  });

  test('sensitive field names are redacted at any depth without registration', () => {
    const { out, log } = setup(false);
    class CameraEntity {
      constructor(
        readonly id: string,
        readonly enr: string,
      ) {}
    }
    log.info(
      {
        password: 'pw-1',
        a: { b: { c: { d: { apiKey: 'ak-2', api_key: 'ak-3' } } } },
        headers: { Authorization: 'Bearer tok-4', 'set-cookie': 'sid=5' },
        cloud: { accessToken: 'at-6', refresh_token: 'rt-7', tokenCount: 2 },
        cam: new CameraEntity('cam-1', 'enr-8'),
        dtls: { psk: 'psk-9', secretKey: 'sk-10' },
      },
      'fields',
    );
    const text = out.text;
    for (const s of ['pw-1', 'ak-2', 'ak-3', 'tok-4', 'sid=5', 'at-6', 'rt-7', 'enr-8', 'psk-9', 'sk-10']) {
      assert.ok(!text.includes(s), `${s} leaked: ${text}`);
    }
    const rec = out.records()[0] as { cloud: { tokenCount: number }; cam: { id: string } };
    assert.equal(rec.cloud.tokenCount, 2);
    assert.equal(rec.cam.id, 'cam-1');
  });

  test('a secret with JSON-special characters is found in its escaped form', () => {
    const { secrets, out, log } = setup(false);
    const odd = 'q"uo\\te\ttab-key';
    secrets.register(odd);
    log.info(`odd ${odd}`);
    log.info(`as json ${JSON.stringify({ enr: odd })}`);
    const msgs = out.records().map((r) => String(r.msg));
    assert.deepEqual(msgs, ['odd [redacted]', `as json ${JSON.stringify({ enr: '[redacted]' })}`]);
  });

  test('lines stay valid JSON after redaction', () => {
    const { out, log } = setup();
    log.info({ a: ENR, b: `${ENR}${ENR}` }, ENR);
    const [rec] = out.records();
    assert.equal(rec.a, '[redacted]');
    assert.equal(rec.b, '[redacted][redacted]');
    assert.equal(rec.msg, '[redacted]');
  });

  test('the caller’s objects are not modified', () => {
    const { log } = setup(false);
    const fields = { camera: { enr: 'still-here' } };
    log.info(fields, 'x');
    assert.equal(fields.camera.enr, 'still-here');
  });
});
