/**
 * What the client puts on the wire during connect(), and when: against the emulator over loopback, the order
 * of FACTS §4.3, §5.2, §6 and §8.2 (how fast a handshake is, is bench:tutk's business); against a scripted
 * OLD camera on fake timers, the session request at once and again at go2rtc's 100 ms, with DTLS made ready
 * in between.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../device/media-source';
import { syntheticMedia } from '../device/synthetic-media';
import { isCc51 } from '../cc51/header';
import { transcodeDecodePacket } from '../transcode/transcode';
import { u16le } from '../wire/byte-reader';
import { deriveTransportKeys } from '../credentials/credentials';
import { OldFlavourDevice } from '../flavour/old';
import { UdpTransport, type DatagramHandler, type DatagramTransport, type PeerAddress } from '../session/transport';
import { LOOPBACK_HOST, startLoopbackDevice } from '../testing/loopback-device';
import { CameraSession } from './camera-session';
import type { TutkSessionError } from './session-error';

const ID = { uid: 'TESTUID1234567890ABC', enr: 'testENRkey0123456789abcdefABCDEF', mac: 'aabbccddeeff' };
/** AV login #1 and #2 (FACTS §8.2) as DTLS application data: plaintext plus the 16-byte ChaCha20-Poly1305 tag. */
const LOGIN_1 = 'app 586';
const LOGIN_2 = 'app 588';

const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

/** What one datagram of ours is, enough to follow the handshake. */
function classify(d: Uint8Array): string {
  if (isCc51(d)) {
    const cmd = u16le(d, 4);
    if (cmd === 0x1002) return `cc51 disco seq ${u16le(d, 12)}`;
    if (cmd === 0x1502) return dtlsKind(d.subarray(28, d.length - 20));
    return `cc51 0x${cmd.toString(16)}`;
  }
  const p = transcodeDecodePacket(d);
  const cmd = u16le(p, 8);
  if (cmd === 0x0601) return `old disco stage ${p[64]}`;
  if (cmd === 0x0402) return 'old session request';
  if (cmd === 0x0407) return dtlsKind(p.subarray(28));
  return `old 0x${cmd.toString(16)}`;
}

/** The first DTLS record of a datagram: a handshake message by type in epoch 0, else type and length. */
function dtlsKind(b: Uint8Array): string {
  const type = b[0];
  const epoch = (b[3] << 8) | b[4];
  const length = (b[11] << 8) | b[12];
  if (type === 22 && epoch === 0) return b[13] === 1 ? 'client-hello' : `handshake ${b[13]}`;
  return type === 23 ? `app ${length}` : `record ${type}`;
}

interface Sent {
  at: number;
  what: string;
  /** Whether the session had its channel-0 DTLS client at that moment. */
  dtlsReady: boolean;
}

/** A UdpTransport that notes every datagram it sends. */
class RecordingTransport extends UdpTransport {
  readonly sent: Sent[] = [];
  session: CameraSession | undefined;

  override send(datagram: Uint8Array, port: number, host: string): void {
    this.sent.push({ at: performance.now(), what: classify(datagram), dtlsReady: this.session?.stats.dtls !== undefined });
    super.send(datagram, port, host);
  }
}

/** One connect to the emulator; everything it opened is closed before it returns (the fake-timer test must find no timer of an earlier test running). */
async function handshake(flavours: 'old' | 'new'): Promise<Sent[]> {
  const opened: { close(): void }[] = [];
  try {
    const { device } = await startLoopbackDevice(opened, { ...ID, flavours, sources: { hd: arraySource(syntheticMedia({ gops: 1 }), { intervalMs: 20, loop: true }) } });
    const transport = new RecordingTransport();
    opened.push(transport);
    const session = new CameraSession({ ...ID, host: LOOPBACK_HOST, port: device.port, model: 'HL_CAM4', socket: transport });
    opened.push(session);
    transport.session = session;
    await session.open();
    return transport.sent;
  } finally {
    for (const x of opened.reverse()) x.close();
  }
}

/** What was sent, in order, without the repeats of the probes (every 100 ms until the camera answers, FACTS §6). */
function sequence(sent: Sent[]): string[] {
  const probes = ['old disco stage 1', 'cc51 disco seq 0'];
  return sent.filter((s, i) => i < 2 || !probes.includes(s.what)).map((s) => s.what);
}

/** FACTS §8.2: login #1, then #2, nothing between them (when #2 leaves is av-login.spec.ts's business). */
function assertLogins(sent: Sent[]): void {
  const i = sent.indexOf(find(sent, LOGIN_1));
  assert.equal(sent[i + 1]?.what, LOGIN_2);
}

function find(sent: Sent[], what: string): Sent {
  const s = sent.find((x) => x.what === what);
  assert.ok(s, `${what} sent; got ${sent.map((x) => x.what).join(', ')}`);
  return s;
}

/**
 * An OLD camera that answers discovery and the session stage only (OldFlavourDevice), and ignores the
 * first session request, as one that needed go2rtc's pause after stage 2 would. It is the session's socket.
 */
class PauseNeedingCamera implements DatagramTransport {
  readonly sent: Sent[] = [];
  session: CameraSession | undefined;
  local: PeerAddress | undefined;
  private readonly device = new OldFlavourDevice(deriveTransportKeys(ID));
  private handler: DatagramHandler | undefined;
  private requests = 0;

  bind(): Promise<PeerAddress> {
    this.local = { address: LOOPBACK_HOST, port: 40000 };
    return Promise.resolve(this.local);
  }
  send(datagram: Uint8Array, port: number, host: string): void {
    this.sent.push({ at: 0, what: classify(datagram), dtlsReady: this.session?.stats.dtls !== undefined });
    let ev;
    try {
      ev = this.device.unwrap(Uint8Array.from(datagram));
    } catch {
      return;
    }
    if (ev.kind === 'session' && this.requests++ === 0) return;
    const reply = ev.kind === 'discovery' || ev.kind === 'session' ? ev.reply : undefined;
    if (reply) setImmediate(() => this.handler?.(reply, { address: host, port }));
  }
  onMessage(handler: DatagramHandler): void {
    this.handler = handler;
  }
  onError(): void {}
  close(): void {
    this.handler = undefined;
  }
}

/** Lets socket replies (setImmediate) and promise chains run while the timers stand still. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('handshake on the wire', () => {
  it('OLD: both probes first, stage 2 on the 0x0602 with the session request, then DTLS and the two logins', async () => {
    const sent = await handshake('old');
    assert.deepEqual(sequence(sent).slice(0, 4), ['old disco stage 1', 'cc51 disco seq 0', 'old disco stage 2', 'old session request']);
    assert.ok(sent.indexOf(find(sent, 'client-hello')) > sent.indexOf(find(sent, 'old session request')));
    assertLogins(sent);
  });

  it("OLD: the session request goes with stage 2 and again at go2rtc's 100 ms; a camera that ignores the first answers the second", async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const camera = new PauseNeedingCamera();
    const session = new CameraSession({ ...ID, host: LOOPBACK_HOST, socket: camera });
    camera.session = session;
    open.push(session);
    const opened = session.open();
    await settle();
    const requests = () => camera.sent.filter((s) => s.what === 'old session request');
    assert.deepEqual(sequence(camera.sent), ['old disco stage 1', 'cc51 disco seq 0', 'old disco stage 2', 'old session request'], 'with stage 2, before any timer fired');
    t.mock.timers.tick(99);
    await settle();
    assert.equal(requests().length, 1, 'nothing more before 100 ms');
    t.mock.timers.tick(1);
    await settle();
    assert.equal(requests().length, 2, "again at go2rtc's 100 ms (FACTS §4.3)");
    assert.equal(requests()[1].dtlsReady, true, 'DTLS was made ready meanwhile');
    assert.equal(camera.sent.at(-1)!.what, 'client-hello', 'the second was answered: DTLS began');
    session.close();
    await assert.rejects(opened, (e: TutkSessionError) => e.phase === 'dtls');
  });

  it('NEW: both probes first, then seq 2 with the ticket, the ClientHello after seq 3, the two logins', async () => {
    const sent = await handshake('new');
    assert.deepEqual(sequence(sent).slice(0, 4), ['old disco stage 1', 'cc51 disco seq 0', 'cc51 disco seq 2', 'client-hello']);
    assertLogins(sent);
  });
});
