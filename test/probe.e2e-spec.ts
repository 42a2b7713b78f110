// `wyze-nvr probe` and `wyze-nvr camera-sim` as users run them: spawned CLIs talking over UDP on loopback.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { CameraDevice, arraySource, syntheticMedia } from '@wyze-nvr/tutk';
import { CliProcess, cliEnv, repoRoot, runCliSync } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'wyze-probe-'));
const procs: CliProcess[] = [];
after(async () => {
  for (const p of procs) await p.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface CameraLine {
  event: 'camera';
  host: string;
  port: number;
  uid: string;
  enr: string;
  mac: string;
  model: string;
}

async function startSim(args: string[]): Promise<{ proc: CliProcess; cams: CameraLine[] }> {
  const proc = new CliProcess(['camera-sim', '--host', '127.0.0.1', ...(args.includes('--port') ? [] : ['--port', '0']), '--stats-interval', '0.2', ...args], {});
  procs.push(proc);
  const count = Number(args[args.indexOf('--count') + 1]) || 1;
  await proc.waitFor(new RegExp(`("event":"camera"[^\\n]*\\n[^]*){${count}}`), 30_000);
  const cams = proc.stdout
    .split('\n')
    .filter((l) => l.includes('"event":"camera"'))
    .map((l) => JSON.parse(l) as CameraLine);
  return { proc, cams };
}

/** Runs `wyze-nvr probe` to completion (async, so the emulator in this process keeps running). */
function probe(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'wyze-nvr.js'), 'probe', ...args], { cwd: repoRoot, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (status) => {
      clearTimeout(kill);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('wyze-nvr camera-sim', () => {
  it('prints its credentials (saying the ENR is shown on purpose) and stats, and stops cleanly on SIGTERM', async () => {
    const { proc, cams } = await startSim(['--count', '2', '--flavour', 'new', '--speed', '2']);
    assert.equal(cams.length, 2);
    assert.notEqual(cams[0].uid, cams[1].uid);
    assert.notEqual(cams[0].enr, cams[1].enr);
    for (const c of cams) {
      assert.match(c.uid, /^[A-Z0-9]{20}$/);
      assert.match(c.mac, /^[0-9A-F]{12}$/);
      assert.ok(c.enr.length >= 16 && c.port > 0);
    }
    assert.match(proc.stderr, /ENR is printed on purpose/);
    await proc.waitFor(/"event":"stats"[^\n]*"connections":0/, 10_000);
    assert.equal(await proc.stop('SIGTERM'), 0);
    assert.match(proc.stderr, /stopped \(SIGTERM\)/);
  });

  it('--count N from a fixed port: consecutive ports, stops on SIGINT', async () => {
    const sock = createSocket('udp4');
    const base = await new Promise<number>((resolve) => sock.bind(0, '127.0.0.1', () => resolve(sock.address().port)));
    sock.close();
    const { proc, cams } = await startSim(['--count', '3', '--port', String(Math.min(base, 65000))]);
    assert.deepEqual(cams.map((c) => c.port - cams[0].port), [0, 1, 2]);
    assert.equal(await proc.stop('SIGINT'), 0);
  });
});

describe('wyze-nvr probe against the emulator', () => {
  it('prints every phase and the stream figures, exits 0; the dump has no ENR', async () => {
    const { proc, cams } = await startSim(['--speed', '2']);
    const c = cams[0];
    const dump = join(dir, 'probe.json');
    // The ENR comes from the environment, not the command line.
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac, '--model', c.model, '--seconds', '1.5', '--dump', dump], { WYZE_ENR: c.enr });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const re of [/discovery +\d+ ms +flavour (OLD|NEW).*source port \d+/, /session +\d+ ms/, /dtls +\d+ ms +suite TLS_/, /av-login +\d+ ms +two-way audio yes/, /auth +\d+ ms +status 3/, /resolution +\d+ ms/, /first keyframe +\d+ ms/, /video +h264 1280x720, \d+ frames .* frames\/s/, /audio +codec 0x90 16000 Hz/, /throughput +\d+ bytes\/s/, /drops/, /^OK$/m]) {
      assert.match(r.stdout, re);
    }
    assert.ok(!r.stdout.includes(c.enr) && !r.stderr.includes(c.enr));
    const text = readFileSync(dump, 'utf8');
    assert.ok(!text.includes(c.enr), 'the dump holds the ENR');
    const d = JSON.parse(text);
    assert.equal(d.result, 'ok');
    assert.equal(d.authStatus, 3);
    assert.ok(d.stream.video.frames > 0 && d.stream.audio.frames > 0);
    for (const k of ['discovery', 'session', 'dtls', 'avLogin', 'auth', 'resolution']) assert.equal(typeof d.handshakeMs[k], 'number');
    await proc.stop();
  });

  it('with a wrong key: exits non-zero naming the key phase; the dump has neither ENR', async () => {
    // An OLD camera does not check the disco AuthKey by default (FACTS §4.4): the wrong ENR reaches DTLS.
    const { proc, cams } = await startSim(['--flavour', 'old']);
    const c = cams[0];
    const wrong = 'wrongENRwrong123';
    const dump = join(dir, 'probe-wrong.json');
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac, '--enr', wrong, '--dump', dump]);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /dtls +FAILED/);
    assert.match(r.stdout, /FAILED: dtls phase: wrong key/);
    assert.match(r.stdout, /hint: .*ENR/);
    const text = readFileSync(dump, 'utf8');
    assert.ok(!text.includes(wrong) && !text.includes(c.enr));
    assert.equal(JSON.parse(text).failure.code, 'wrong-key');
    await proc.stop();
  });

  it('a camera that refuses K-auth: exits non-zero with "auth phase: auth refused"', async () => {
    // Status 6 answered with the right ENR, but this camera checks K-auth against another one.
    const { proc, cams } = await startSim(['--flavour', 'new', '--auth-status', '6', '--auth-enr', 'someOtherEnr1234']);
    const c = cams[0];
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac], { WYZE_ENR: c.enr });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /auth +FAILED/);
    assert.match(r.stdout, /FAILED: auth phase: auth refused/);
    await proc.stop();
  });

  it('a camera that streams no video (audio only): fails in the stream phase, naming what arrived', async () => {
    // An emulated camera in this process whose source has audio frames and no video.
    const audioOnly = syntheticMedia({ gops: 4 }).filter((f) => f.kind === 'audio');
    const cam = { uid: 'AUDIOONLY0CAMERA0001', enr: 'audio-only-enr-0123456789abcdef', mac: 'A0B1C2D3E4F5' };
    const device = new CameraDevice({ ...cam, host: '127.0.0.1', port: 0, sources: { hd: arraySource(audioOnly, { intervalMs: 20, loop: true }) } });
    const port = await device.start();
    try {
      const dump = join(dir, 'probe-audio-only.json');
      const r = await probe(['--host', '127.0.0.1', '--port', String(port), '--uid', cam.uid, '--mac', cam.mac, '--seconds', '1', '--dump', dump], { WYZE_ENR: cam.enr });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /video +none/);
      assert.match(r.stdout, /FAILED: stream phase: no video: no video frame in [\d.]+ s/);
      assert.match(r.stdout, /hint: only audio arrived \(\d+ frames\): the camera streams no video/);
      assert.doesNotMatch(r.stdout, /^OK$/m);
      const d = JSON.parse(readFileSync(dump, 'utf8'));
      assert.equal(d.result, 'failed');
      assert.deepEqual([d.failure.phase, d.failure.code], ['stream', 'no-video']);
      assert.match(d.failure.hint, /only audio arrived/);
    } finally {
      device.close();
    }
  });

  it('a camera forced to the other media format (resend = 1 to a probe asking 0): the probe takes it and reports video', async () => {
    const { proc, cams } = await startSim(['--force-resend', '1']);
    const c = cams[0];
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac, '--seconds', '1'], { WYZE_ENR: c.enr });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /video +h264 \d+x\d+, [1-9]\d* frames/);
    assert.match(r.stdout, /^OK$/m);
    await proc.stop();
  });

  it('--quality sd: reports the picture size after the switch to SD, and the HD size before it when one came first', async () => {
    const sd = join(repoRoot, 'test', 'fixtures', 'media', 'h264-360p20.h264');
    const { proc, cams } = await startSim(['--sd-video', sd]);
    const c = cams[0];
    const dump = join(dir, 'probe-sd.json');
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac, '--quality', 'sd', '--seconds', '2.5', '--dump', dump], { WYZE_ENR: c.enr });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /resolution +\d+ ms +sd requested/);
    // The camera streams HD from the login until the resolution command lands (FACTS §6 step 8).
    assert.match(r.stdout, /video +h264 (1280x720 → )?640x360, \d+ frames/);
    const v = JSON.parse(readFileSync(dump, 'utf8')).stream.video;
    assert.deepEqual([v.width, v.height], [640, 360]);
    assert.deepEqual(v.sizes.at(-1), { width: 640, height: 360 });
    assert.ok(v.sizes.length <= 2 && (v.sizes.length === 1 || v.sizes[0].width === 1280), JSON.stringify(v.sizes));
    await proc.stop();
  });

  it('nothing listening: discovery phase fails within --timeout', async () => {
    const r = await probe(['--host', '127.0.0.1', '--port', '9', '--uid', 'NOBODYHERE1234567890', '--mac', '000000000000', '--timeout', '300'], { WYZE_ENR: 'x'.repeat(16) });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /FAILED: discovery phase: discovery timeout/);
    // The hint says which flavour stays silent for a wrong ENR and which fails at DTLS instead.
    assert.match(r.stdout, /hint: .*NEW \(CC51\) camera also stays silent when the ENR or MAC is wrong.*OLD.*wrong ENR fails at DTLS/);
  });

  it('camera-sim --check-auth-key: an OLD camera silent to a wrong ENR, which the probe reports as a discovery timeout', async () => {
    const { proc, cams } = await startSim(['--flavour', 'old', '--check-auth-key']);
    const c = cams[0];
    const r = await probe(['--host', '127.0.0.1', '--port', String(c.port), '--uid', c.uid, '--mac', c.mac, '--enr', 'wrongENRwrong123', '--timeout', '300']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /FAILED: discovery phase: discovery timeout/);
    await proc.stop();
  });

  it('camera-sim --help says what the OLD flavour does with a wrong ENR, and that forcing the media format is a misbehaviour', () => {
    const r = runCliSync(['camera-sim', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--check-auth-key/);
    assert.match(r.stdout, /by default the camera answers discovery whenever the UID matches[^]*wrong ENR fails at DTLS/);
    // The format is the client's choice (FACTS §8.2); no plain --resend that would silently override it.
    assert.match(r.stdout, /--force-resend 0\|1 makes a misbehaving camera/);
    assert.doesNotMatch(r.stdout, /--resend\b/);
    assert.match(r.stdout, /--path-jitter MS adds a latency[^]*--independent-jitter MS delays each datagram on its own/);
  });
});
