// AV, K-command and frame kinds of FACTS §17, checked against libs/tutk's own codecs.
import { buildAck, parseAck } from '../../../libs/tutk/src/av/ack';
import { parseHl } from '../../../libs/tutk/src/av/hl';
import { buildIoctrlFrame, parseIoctrlFrame } from '../../../libs/tutk/src/av/ioctrl';
import { buildK10000, buildK10002, buildK10010, buildK10052, buildK10056, parseK10001, parseK10002, parseK10010, parseK10052, parseK10056, KCmd } from '../../../libs/tutk/src/av/k-commands';
import { kauthChallenge, kauthKeys, kauthResponse, kauthVerify } from '../../../libs/tutk/src/av/kauth';
import { buildAvLoginPair, parseAvLogin } from '../../../libs/tutk/src/av/login';
import { buildAvLoginResponse, parseAvLoginResponse } from '../../../libs/tutk/src/av/login-response';
import { wyzePasswordHash } from '../../../libs/tutk/src/av/password-hash';
import type { Frame } from '../../../libs/tutk/src/frames/assembler';
import { buildAudioTxFrame, parseAudioTxFrame } from '../../../libs/tutk/src/frames/audio-tx';
import { type FrameInfo, audioFormatOfFlags, frameInfoCodecU16, isKeyframeFlags, parseFrameInfo } from '../../../libs/tutk/src/frames/frame-info';
import { InOrderFrameAssembler } from '../../../libs/tutk/src/frames/in-order-assembler';
import { parseAvPacket } from '../../../libs/tutk/src/frames/packet';
import { xxteaDecrypt, xxteaEncrypt } from '../../../libs/tutk/src/xxtea/xxtea';
import { type VectorKinds, expectEqual, hex, toHex } from '../types';

const num = (v: unknown, name: string): number => {
  if (typeof v !== 'number') throw new Error(`input ${name} is not a number`);
  return v;
};
const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string') throw new Error(`input ${name} is not a string`);
  return v;
};
const flag = (v: unknown): boolean => v === true || v === 1;

/** Compares every field the vector names; a field we cannot produce is a failure, not a skip. */
function expectFields(prefix: string, expected: Record<string, unknown>, actual: Record<string, unknown>): void {
  for (const [k, want] of Object.entries(expected)) {
    if (!(k in actual)) throw new Error(`${prefix}${k}: not produced by this implementation`);
    const got = actual[k];
    if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
      if (got === null || typeof got !== 'object') throw new Error(`${prefix}${k}: expected an object, got ${String(got)}`);
      expectFields(`${prefix}${k}.`, want as Record<string, unknown>, got as Record<string, unknown>);
    } else {
      expectEqual(prefix + k, want, got);
    }
  }
}

function frameInfoFields(fi: FrameInfo, raw: Uint8Array, offset: number): Record<string, unknown> {
  const audio = audioFormatOfFlags(fi.flags);
  return {
    codec_id: fi.codec,
    codec_id_u16: frameInfoCodecU16(raw, offset),
    flags: fi.flags,
    cam_index: fi.camIndex,
    online_num: fi.onlineNum,
    fps: fi.fps,
    res_tier: fi.resTier,
    bitrate: fi.bitrate,
    timestamp_us: fi.timestampUs,
    timestamp_sec_or_session: fi.timestampSec,
    payload_size: fi.payloadSize,
    frame_no: fi.frameNo,
    device_id: fi.deviceId,
    is_keyframe: isKeyframeFlags(fi.flags),
    audio_sample_rate: audio.sampleRate,
    audio_channels: audio.channels,
    audio_bits: audio.bits,
  };
}

function frameFields(f: Frame): Record<string, unknown> {
  return { kind: f.kind, channel: f.channel, payload: toHex(f.data), codec_id: f.codec, keyframe: f.keyframe, frame_no: f.frameNo, packet_frame_no: f.packetFrameNo, size: f.data.length };
}

export const kinds: VectorKinds = {
  xxtea_decrypt(v) {
    const data = hex(v.inputs.data);
    const key = hex(v.inputs.key);
    const plain = xxteaDecrypt(data, key);
    expectEqual('plaintext', v.expected.plaintext, toHex(plain));
    expectEqual('encrypt(plaintext)', v.inputs.data, toHex(xxteaEncrypt(plain, key)));
  },

  kauth_response(v) {
    const enr = str(v.inputs.enr, 'enr');
    const status = num(v.inputs.status, 'status');
    const challenge = hex(v.inputs.challenge);
    expectEqual('keys', v.expected.keys, kauthKeys(enr, status).map(toHex));
    const response = kauthResponse(enr, status, challenge);
    expectEqual('response', v.expected.response, toHex(response));
    // The emulator's side (FACTS §9.2): challenge = encrypt(secret), and the response proves the secret.
    expectEqual('emulator challenge', v.inputs.challenge, toHex(kauthChallenge(enr, status, hex(v.expected.response))));
    expectEqual('emulator verify', true, kauthVerify(hex(v.expected.response), response));
  },

  password_hash(v) {
    expectEqual('hash', v.expected.hash, wyzePasswordHash(str(v.inputs.password, 'password')));
  },

  av_login(v) {
    const randomId = hex(v.inputs.random_id);
    const enr = str(v.inputs.enr, 'enr');
    const [l1, l2] = buildAvLoginPair({ password: enr, randomId });
    expectEqual('login1', v.expected.login1, toHex(l1));
    expectEqual('login2', v.expected.login2, toHex(l2));
    for (const [name, bytes] of [['login1', hex(v.expected.login1)], ['login2', hex(v.expected.login2)]] as const) {
      const p = parseAvLogin(bytes);
      expectEqual(`${name}.password`, enr, p.password);
      expectEqual(`${name}.username`, 'admin', p.username);
      if (name === 'login1') expectEqual(`${name}.random_id`, v.inputs.random_id, toHex(p.randomId));
    }
  },

  av_login_response(v) {
    const echo = hex(v.inputs.echo);
    const twoWay = flag(v.inputs.two_way);
    const packet = buildAvLoginResponse(echo, twoWay);
    expectEqual('packet', v.expected.packet, toHex(packet));
    const parsed = parseAvLoginResponse(hex(v.expected.packet));
    expectEqual('parsed two_way', twoWay, parsed.twoWayAudio);
    expectEqual('parsed echo', v.inputs.echo, toHex(parsed.echo));
  },

  ioctrl(v) {
    const hl = hex(v.inputs.hl);
    const frame = buildIoctrlFrame({ avSeq: num(v.inputs.av_seq, 'av_seq'), cmdSeq: num(v.inputs.cmd_seq, 'cmd_seq'), hl });
    expectEqual('frame', v.expected.frame, toHex(frame));
    const parsed = parseIoctrlFrame(hex(v.expected.frame));
    expectEqual('parsed hl', v.inputs.hl, toHex(parsed.hl.raw));
  },

  ack(v) {
    const a = { avSeq: num(v.inputs.av_seq, 'av_seq'), rxStart: num(v.inputs.rx_start, 'rx_start'), rxEnd: num(v.inputs.rx_end, 'rx_end'), count: num(v.inputs.count, 'count'), ms16: num(v.inputs.ms16, 'ms16') };
    expectEqual('packet', v.expected.packet, toHex(buildAck(a)));
    expectEqual('parsed', JSON.stringify(a), JSON.stringify(parseAck(hex(v.expected.packet))));
  },

  k10000(v) {
    const json = v.inputs.json === undefined ? undefined : str(v.inputs.json, 'json');
    expectEqual('hl', v.expected.hl, toHex(buildK10000(json)));
  },

  k10002(v) {
    const f = { response: hex(v.inputs.response), sessionId: hex(v.inputs.session_id), video: flag(v.inputs.video), audio: flag(v.inputs.audio) };
    expectEqual('hl', v.expected.hl, toHex(buildK10002(f)));
    const p = parseK10002(hex(v.expected.hl));
    expectEqual('parsed response', v.inputs.response, toHex(p.response));
  },

  k10010(v) {
    const f = { media: num(v.inputs.media, 'media'), enable: flag(v.inputs.enable) };
    expectEqual('hl', v.expected.hl, toHex(buildK10010(f)));
    expectEqual('parsed', JSON.stringify(f), JSON.stringify(parseK10010(hex(v.expected.hl))));
  },

  k10056(v) {
    const f = { frameSize: num(v.inputs.frame_size, 'frame_size'), bitrate: num(v.inputs.bitrate, 'bitrate'), fps: num(v.inputs.fps, 'fps') };
    expectEqual('hl', v.expected.hl, toHex(buildK10056(f)));
    expectEqual('parsed', JSON.stringify(f), JSON.stringify(parseK10056(hex(v.expected.hl))));
  },

  k10052(v) {
    const f = { frameSize: num(v.inputs.frame_size, 'frame_size'), bitrate: num(v.inputs.bitrate, 'bitrate'), fps: num(v.inputs.fps, 'fps') };
    expectEqual('hl', v.expected.hl, toHex(buildK10052(f)));
    expectEqual('parsed', JSON.stringify(f), JSON.stringify(parseK10052(hex(v.expected.hl))));
  },

  ioctrl_parse(v) {
    const frame = parseIoctrlFrame(hex(v.inputs.frame));
    const actual: Record<string, unknown> = { hl_offset: frame.hlOffset, hl: toHex(frame.hl.raw), cmd: frame.hl.cmd, hl_version: frame.hl.version, hl_length: frame.hl.length };
    if (frame.hl.cmd === KCmd.Challenge) {
      const k = parseK10001(frame.hl);
      actual.status = k.status;
      actual.challenge = toHex(k.challenge);
    }
    expectFields('', v.expected, actual);
    expectEqual('hl reparsed cmd', frame.hl.cmd, parseHl(frame.hl.raw).cmd);
  },

  frame_packet_parse(v) {
    const raw = hex(v.inputs.packet);
    const p = parseAvPacket(raw);
    if (p.kind !== 'media') throw new Error(`parsed as ${p.kind}`);
    const actual: Record<string, unknown> = {
      channel: p.channel,
      frame_type: p.frameType,
      header_size: p.headerSize,
      pkt_total: p.pktTotal,
      pkt_idx: p.pktIdx,
      frameinfo_marker: p.marker,
      payload_size_field: p.payloadSizeField,
      prev_frame_no: p.prevFrameNo,
      frame_no: p.frameNo,
      has_frameinfo: p.frameInfo !== undefined,
      payload: toHex(p.payload),
      frameinfo: p.frameInfo ? frameInfoFields(p.frameInfo, raw, raw.length - 40) : null,
    };
    if (v.expected.frameinfo === null) expectEqual('frameinfo', 'null', actual.frameinfo === null ? 'null' : 'present');
    const { frameinfo: _fi, ...rest } = v.expected;
    expectFields('', v.expected.frameinfo === null ? rest : v.expected, actual);
  },

  reassembly(v) {
    const packets = v.inputs.packets;
    if (!Array.isArray(packets)) throw new Error('input packets is not a list');
    // The vectors model go2rtc's reassembly (FACTS §10.3), so they run through its in-order assembler.
    const a = new InOrderFrameAssembler();
    const frames: Frame[] = [];
    for (const p of packets) {
      const f = a.push(hex(p));
      if (f) frames.push(f);
    }
    const expected = v.expected.frames;
    if (!Array.isArray(expected)) throw new Error('expected frames is not a list');
    expectEqual('frame count', expected.length, frames.length);
    expected.forEach((e, i) => expectFields(`frames[${i}].`, e as Record<string, unknown>, frameFields(frames[i])));
  },

  frameinfo_parse(v) {
    const raw = hex(v.inputs.frameinfo);
    expectFields('', v.expected, frameInfoFields(parseFrameInfo(raw), raw, 0));
  },

  audio_tx_frame(v) {
    const f = {
      frameNo: num(v.inputs.frame_no, 'frame_no'),
      timestampUs: num(v.inputs.timestamp_us, 'timestamp_us'),
      codec: num(v.inputs.codec, 'codec'),
      sampleRate: num(v.inputs.sample_rate, 'sample_rate'),
      channels: num(v.inputs.channels, 'channels'),
      payload: hex(v.inputs.payload),
    };
    expectEqual('frame', v.expected.frame, toHex(buildAudioTxFrame(f)));
    const p = parseAudioTxFrame(hex(v.expected.frame));
    expectEqual('parsed payload', v.inputs.payload, toHex(p.payload));
    expectEqual('parsed frame_no', f.frameNo, p.frameNo);
    expectEqual('parsed codec', f.codec, p.codec);
    expectEqual('parsed channels', f.channels, p.channels);
  },
};
