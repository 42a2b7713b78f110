import { writeFileSync } from 'node:fs';
// The client side of tutk only, not the emulator: fewer modules to load, so `probe` starts sooner.
import { CameraSession, TutkSessionError, type CameraSessionStats, type HandshakeTimings } from '@wyze-nvr/tutk/client';
import { deriveCameraKeys } from '@wyze-nvr/tutk/credentials';
import { UsageError, type Command } from '@wyze-nvr/runtime/command';
import { noVideoCause, sizeText, streamCounters, watchStream, type StreamReport } from '../probe-stream';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Handshake phases in order, with the names TutkSessionError uses and the keys of HandshakeTimings. */
const PHASES: { phase: string; key: keyof HandshakeTimings }[] = [
  { phase: 'discovery', key: 'discovery' },
  { phase: 'session', key: 'session' },
  { phase: 'dtls', key: 'dtls' },
  { phase: 'av-login', key: 'avLogin' },
  { phase: 'auth', key: 'auth' },
  { phase: 'resolution', key: 'resolution' },
];

/** What usually causes each failure; printed under the error. */
const HINTS: Partial<Record<TutkSessionError['code'], string>> = {
  // FACTS §4.4, §14: an OLD camera answers a disco with its UID and checks the AuthKey only optionally, so a
  // wrong ENR usually fails at DTLS; a NEW camera's discovery HMAC key derives from the ENR and MAC (§5.1).
  'discovery-timeout': 'no answer: wrong IP/port or UID, camera offline or on another network; a NEW (CC51) camera also stays silent when the ENR or MAC is wrong (an OLD one usually answers, and a wrong ENR fails at DTLS as "wrong key")',
  'session-timeout': 'the camera answered discovery but not the session request',
  'wrong-key': 'DTLS keys differ: the ENR is wrong (refresh it from the cloud); an OLD (IOTC) camera usually answers discovery whatever the ENR, so this is where a wrong one shows',
  'dtls-failed': 'the DTLS handshake failed for a reason other than the key',
  'auth-refused': 'the camera refused K-auth: the ENR is wrong or stale, or the status is unsupported',
  'login-timeout': 'the camera stopped answering during login',
  'camera-lost': 'the camera went silent',
  'camera-closed': 'the camera closed the connection',
};

function str(v: Values[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(values: Values, name: string, fallback: number): number {
  const v = str(values[name]);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** First and last four characters: enough to tell cameras apart in a report, not the whole identifier. */
function mask(s: string): string {
  return s.length <= 8 ? s.replace(/./g, '*') : `${s.slice(0, 4)}…${s.slice(-4)}`;
}

/** Why the probe failed: a session error, or the probe's own verdict on the stream. */
interface ProbeFailure {
  phase: string;
  code: string;
  detail: string;
  hint?: string;
}

function sessionFailure(e: TutkSessionError): ProbeFailure {
  return { phase: e.phase, code: e.code, detail: e.message.replace(/^[^:]+: [^:]+: /, ''), hint: HINTS[e.code] };
}

/** Non-zero counters only, flattened to "layer:reason" → count. */
function dropsOf(st: CameraSessionStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(st.drops)) if (v) out[k] = v;
  for (const [k, v] of Object.entries(st.assembler.packetsDropped)) if (v) out[`packet:${k}`] = v;
  for (const [k, v] of Object.entries(st.assembler.framesDropped)) if (v) out[`frame:${k}`] = v;
  if (st.framesDroppedSlowConsumer) out['frame:slow-consumer'] = st.framesDroppedSlowConsumer;
  return out;
}

export const probeCommand: Command = {
  name: 'probe',
  summary: 'connect to one camera, print every handshake phase with its timing and the stream figures (diagnostics)',
  usage: '--host IP [--port 32761] --uid UID --enr ENR --mac MAC [--model M] [--quality hd|sd] [--resend 0|1] [--timeout ms] [--seconds N] [--dump file.json]  (or WYZE_HOST, WYZE_UID, WYZE_ENR, WYZE_MAC, WYZE_MODEL)',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    uid: { type: 'string' },
    enr: { type: 'string' },
    mac: { type: 'string' },
    model: { type: 'string' },
    timeout: { type: 'string' },
    seconds: { type: 'string' },
    quality: { type: 'string' },
    resend: { type: 'string' },
    dump: { type: 'string' },
  },
  async run(values) {
    const env = process.env;
    const host = str(values.host) ?? env.WYZE_HOST;
    const uid = str(values.uid) ?? env.WYZE_UID;
    const enr = str(values.enr) ?? env.WYZE_ENR;
    const mac = str(values.mac) ?? env.WYZE_MAC;
    const model = str(values.model) ?? env.WYZE_MODEL ?? '';
    if (!host || !uid || !enr || !mac) throw new UsageError('--host, --uid, --enr and --mac (or WYZE_HOST, WYZE_UID, WYZE_ENR, WYZE_MAC) are required');
    const port = num(values, 'port', 32761);
    const timeoutMs = num(values, 'timeout', 5000);
    const seconds = num(values, 'seconds', 5);
    const quality = str(values.quality) ?? 'hd';
    if (quality !== 'hd' && quality !== 'sd') throw new UsageError('--quality must be hd or sd');
    const resend = num(values, 'resend', 0);
    if (resend !== 0 && resend !== 1) throw new UsageError('--resend must be 0 or 1');
    let secrets: string[];
    try {
      secrets = [enr, deriveCameraKeys(enr, uid, mac).authKey];
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const ms = (v: number | undefined) => (v === undefined ? '    –' : `${String(v).padStart(5)} ms`);

    out(`probe ${host}:${port}  uid ${mask(uid)}  mac ${mask(mac)}  model ${model || '(none)'}  (the ENR is never printed)`);
    const ctl = new AbortController();
    const onSignal = () => ctl.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const session = new CameraSession({ host, port, uid, enr, mac, model, quality, resend, signal: ctl.signal, discoveryTimeoutMs: timeoutMs, sessionTimeoutMs: timeoutMs, dtlsTimeoutMs: timeoutMs, loginTimeoutMs: timeoutMs, ioctrlTimeoutMs: timeoutMs, keepaliveTimeoutMs: Math.max(timeoutMs, 2000) });
    let failure: ProbeFailure | undefined;
    try {
      await session.open();
    } catch (e) {
      if (!(e instanceof TutkSessionError)) throw e;
      failure = sessionFailure(e);
    }
    const st = session.stats;
    const detail: Record<string, string> = {
      discovery: st.flavour ? `flavour ${st.flavour === 'cc51' ? 'NEW (0xCC51)' : 'OLD (IOTC)'}, camera source port ${session.cameraAddress.port}` : '',
      dtls: st.dtlsSuite ? `suite ${st.dtlsSuite}` : '',
      'av-login': st.handshakeMs.avLogin !== undefined ? `two-way audio ${st.twoWayAudio ? 'yes' : 'no'}` : '',
      auth: st.authStatus !== undefined ? `status ${st.authStatus}${st.handshakeMs.auth !== undefined ? ', accepted' : ''}` : '',
      resolution: st.handshakeMs.resolution !== undefined ? `${quality} requested` : '',
    };
    for (const { phase, key } of PHASES) {
      const t = st.handshakeMs[key];
      const failed = failure && t === undefined && (failure.phase === phase || (phase === 'resolution' && failure.phase === 'streaming'));
      if (t === undefined && !failed) continue;
      out(`  ${phase.padEnd(11)} ${failed ? ' FAILED ' : ms(t)}  ${detail[phase] ?? ''}`.trimEnd());
    }
    let stream: StreamReport | undefined;
    if (!failure) {
      out(`  connected in ${st.handshakeMs.total} ms; watching the stream for ${seconds} s`);
      const before = streamCounters(st);
      stream = await watchStream(session, seconds * 1000, ctl.signal);
      const v = stream.video;
      const a = stream.audio;
      out(`  first frame ${ms(stream.firstFrameMs)}, first keyframe ${ms(stream.firstKeyframeMs)}, first audio ${ms(stream.firstAudioMs)} (after connect)`);
      out(`  video       ${v ? `${v.codec} ${sizeText(v.sizes)}, ${v.frames} frames (${v.keyframes} keyframes), ${v.fps} frames/s` : 'none'}`);
      out(`  audio       ${a ? `codec ${a.codec} ${a.sampleRate} Hz ${a.channels === 2 ? 'stereo' : 'mono'}, ${a.frames} frames, ${a.fps} frames/s` : 'none'}`);
      out(`  throughput  ${stream.bytesPerSecond} bytes/s (${Math.round((stream.bytesPerSecond * 8) / 1000)} kbit/s) over ${stream.seconds} s`);
      if (stream.error && stream.error.code !== 'aborted') failure = sessionFailure(stream.error);
      else if (!v) {
        // Connected is not working: a probe that saw no picture has failed, whatever else arrived.
        const hint = noVideoCause(before, streamCounters(session.stats), stream);
        failure = { phase: 'stream', code: 'no-video', detail: `no video frame in ${stream.seconds} s`, hint };
      }
    } else {
      session.close();
    }
    const after = session.stats;
    const drops = dropsOf(after);
    out(`  drops       ${Object.keys(drops).length ? Object.entries(drops).map(([k, n]) => `${k}=${n}`).join(' ') : 'none'}`);
    if (failure) {
      out(`FAILED: ${failure.phase} phase: ${failure.code.replace(/-/g, ' ')}: ${failure.detail}`);
      if (failure.hint) out(`  hint: ${failure.hint}`);
    } else {
      out('OK');
    }
    const dump = str(values.dump);
    if (dump) {
      const report = {
        tool: 'wyze-nvr probe',
        at: new Date().toISOString(),
        node: process.version,
        target: { host, port, uid: mask(uid), mac: mask(mac), model, quality, resend, timeoutMs },
        result: failure ? 'failed' : 'ok',
        failure: failure && { phase: failure.phase, code: failure.code, message: `${failure.phase}: ${failure.code}: ${failure.detail}`, hint: failure.hint },
        flavour: after.flavour,
        cameraAddress: after.flavour ? session.cameraAddress : undefined,
        dtlsSuite: after.dtlsSuite,
        authStatus: after.authStatus,
        twoWayAudio: after.twoWayAudio,
        handshakeMs: after.handshakeMs,
        stream: stream && { ...stream, error: undefined },
        drops,
        stats: after,
      };
      let text = JSON.stringify(report, null, 2);
      // Belt and braces: nothing above carries the ENR or a key, but a message might quote one some day.
      for (const s of secrets) text = text.split(s).join('[redacted]');
      writeFileSync(dump, `${text}\n`);
      out(`  diagnostics written to ${dump} (no ENR or key in it)`);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return failure ? 1 : 0;
  },
};
