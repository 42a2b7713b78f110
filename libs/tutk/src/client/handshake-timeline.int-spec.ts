/**
 * What the client puts on the wire during connect(), and when, against the emulator over loopback: the
 * order and the minimum intervals of FACTS §4.3, §5.2, §6 and §8.2 (lower bounds only: how fast a
 * handshake is, is bench:tutk's business), and the DTLS work done while the session stage waits.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arraySource } from '../device/media-source';
import { syntheticMedia } from '../device/synthetic-media';
import { isCc51 } from '../cc51/header';
import { transcodeDecodePacket } from '../transcode/transcode';
import { u16le } from '../wire/byte-reader';
import { UdpTransport } from '../session/transport';
import { LOOPBACK_HOST, startLoopbackDevice } from '../testing/loopback-device';
import { CameraSession } from './camera-session';

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

async function handshake(flavours: 'old' | 'new'): Promise<Sent[]> {
  const { device } = await startLoopbackDevice(open, { ...ID, flavours, sources: { hd: arraySource(syntheticMedia({ gops: 1 }), { intervalMs: 20, loop: true }) } });
  const transport = new RecordingTransport();
  open.push(transport);
  const session = new CameraSession({ ...ID, host: LOOPBACK_HOST, port: device.port, model: 'HL_CAM4', socket: transport });
  open.push(session);
  transport.session = session;
  await session.open();
  session.close();
  return transport.sent;
}

/** What was sent, in order, without the repeats of the probes (every 100 ms until the camera answers, FACTS §6). */
function sequence(sent: Sent[]): string[] {
  const probes = ['old disco stage 1', 'cc51 disco seq 0'];
  return sent.filter((s, i) => i < 2 || !probes.includes(s.what)).map((s) => s.what);
}

/** FACTS §8.2: login #2 10 ms after #1; a Node timer, counting whole milliseconds, may fire up to 1 ms early. */
function assertLoginGap(sent: Sent[]): void {
  const gap = find(sent, LOGIN_2).at - find(sent, LOGIN_1).at;
  assert.ok(gap >= 9, `login #2 ${gap.toFixed(2)} ms after #1`);
}

function find(sent: Sent[], what: string): Sent {
  const s = sent.find((x) => x.what === what);
  assert.ok(s, `${what} sent; got ${sent.map((x) => x.what).join(', ')}`);
  return s;
}

describe('handshake on the wire', () => {
  it('OLD: both probes first, stage 2 on the 0x0602, the session request 100 ms later with DTLS ready by then, login #2 10 ms after #1', async () => {
    const sent = await handshake('old');
    assert.deepEqual(sequence(sent).slice(0, 4), ['old disco stage 1', 'cc51 disco seq 0', 'old disco stage 2', 'old session request']);
    const stage2 = find(sent, 'old disco stage 2');
    const request = find(sent, 'old session request');
    // FACTS §4.3 step 3, kept (flavour/old.ts says why).
    assert.ok(request.at - stage2.at >= 100, `session request ${(request.at - stage2.at).toFixed(2)} ms after stage 2`);
    assert.equal(request.dtlsReady, true, 'the ClientHello and key pair were made during the wait');
    const hello = find(sent, 'client-hello');
    assert.ok(sent.indexOf(hello) > sent.indexOf(request));
    assertLoginGap(sent);
  });

  it('NEW: both probes first, then seq 2 with the ticket, the ClientHello after seq 3, login #2 10 ms after #1', async () => {
    const sent = await handshake('new');
    assert.deepEqual(sequence(sent).slice(0, 4), ['old disco stage 1', 'cc51 disco seq 0', 'cc51 disco seq 2', 'client-hello']);
    assertLoginGap(sent);
  });
});
