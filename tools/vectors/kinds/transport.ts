// Transport-layer vector kinds (FACTS §17): TransCode, AuthKey, the OLD IOTC packets and the CC51 packets.
// Each check builds the expected bytes and also parses them back, so both directions of every codec run.
import { sameBytes } from '@wyze-nvr/bytes';
import { VectorKinds, VectorMismatch, expectEqual, hex, toHex } from '../types';
import { transcodeDecode, transcodeDecodePacket, transcodeEncode, transcodeEncodePacket, isPartialMode } from '../../../libs/tutk/src/transcode/transcode';
import { authKey, authKeyDigestPrefix } from '../../../libs/tutk/src/credentials/auth-key';
import { deriveTransportKeys, uidFromField } from '../../../libs/tutk/src/credentials/credentials';
import { Cc51Signer } from '../../../libs/tutk/src/cc51/header';
import { buildCc51Discovery, parseCc51Discovery } from '../../../libs/tutk/src/cc51/discovery';
import { buildCc51Keepalive, parseCc51Keepalive } from '../../../libs/tutk/src/cc51/keepalive';
import { buildCc51Dtls, parseCc51Dtls } from '../../../libs/tutk/src/cc51/dtls-wrapper';
import { buildDiscoRequest, DiscoStage } from '../../../libs/tutk/src/iotc/disco';
import { buildIotcSessionRequest } from '../../../libs/tutk/src/iotc/session';
import { buildIotcData } from '../../../libs/tutk/src/iotc/data';
import { buildIotcKeepaliveReply } from '../../../libs/tutk/src/iotc/keepalive';
import { IotcCommand } from '../../../libs/tutk/src/iotc/header';
import { decodeIotcDatagram, encodeIotcDatagram } from '../../../libs/tutk/src/iotc/packet';

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string') throw new Error(`${field}: expected a string`);
  return v;
};
const int = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${field}: expected an integer`);
  return v;
};
const creds = (i: Record<string, unknown>) => deriveTransportKeys({ uid: str(i.uid, 'uid'), enr: str(i.enr, 'enr'), mac: str(i.mac, 'mac') });
const expectTrue = (field: string, ok: boolean) => {
  if (!ok) throw new VectorMismatch(field, true, false);
};

/** Checks plaintext → wire, and wire → (decoded in place) plaintext with the parsed command. */
function checkIotc(plain: Uint8Array, expected: Record<string, unknown>, cmd: number): ReturnType<typeof decodeIotcDatagram> {
  expectEqual('plaintext', expected.plaintext, toHex(plain));
  const wire = encodeIotcDatagram(Uint8Array.from(plain));
  expectEqual('wire', expected.wire, toHex(wire));
  const msg = decodeIotcDatagram(wire);
  expectEqual('decoded', expected.plaintext, toHex(wire));
  expectEqual('cmd', cmd, msg.header.cmd);
  return msg;
}

export const kinds: VectorKinds = {
  transcode_raw(v) {
    const plain = hex(v.inputs.plaintext);
    const cipher = transcodeEncode(plain);
    expectEqual('ciphertext', v.expected.ciphertext, toHex(cipher));
    expectEqual('decoded', v.inputs.plaintext, toHex(transcodeDecode(hex(v.expected.ciphertext))));
  },

  transcode_packet(v) {
    const plain = hex(v.inputs.plaintext);
    if (plain.length >= 16) expectEqual('partial', v.expected.partial, isPartialMode(plain[3]));
    expectEqual('wire', v.expected.wire, toHex(transcodeEncodePacket(plain)));
    expectEqual('decoded', v.inputs.plaintext, toHex(transcodeDecodePacket(hex(v.expected.wire))));
  },

  auth_key(v) {
    const enr = str(v.inputs.enr, 'enr');
    const mac = str(v.inputs.mac, 'mac');
    expectEqual('sha256_first6', v.expected.sha256_first6, toHex(authKeyDigestPrefix(enr, mac)));
    expectEqual('auth_key', v.expected.auth_key, authKey(enr, mac));
  },

  cc51_discovery(v) {
    const keys = creds(v.inputs);
    const signer = new Cc51Signer(keys);
    expectEqual('auth_key', v.expected.auth_key, keys.authKey);
    expectEqual('hmac_key', v.expected.hmac_key, toHex(signer.keyBytes));
    const fields = { direction: int(v.inputs.direction, 'direction'), seq: int(v.inputs.seq, 'seq'), ticket: int(v.inputs.ticket, 'ticket'), sid: hex(v.inputs.session_id) };
    expectEqual('packet', v.expected.packet, toHex(buildCc51Discovery(fields, signer)));
    const parsed = parseCc51Discovery(hex(v.expected.packet), signer);
    expectEqual('parsed direction', fields.direction, parsed.direction);
    expectEqual('parsed seq', fields.seq, parsed.seq);
    expectEqual('parsed ticket', fields.ticket, parsed.ticket);
    expectTrue('parsed sid', sameBytes(parsed.sid, fields.sid));
  },

  cc51_keepalive(v) {
    const keys = creds(v.inputs);
    const signer = new Cc51Signer(keys);
    const sid = hex(v.inputs.session_id);
    const counter = int(v.inputs.counter, 'counter');
    expectEqual('packet', v.expected.packet, toHex(buildCc51Keepalive({ counter, sid }, signer)));
    const parsed = parseCc51Keepalive(hex(v.expected.packet), signer);
    expectEqual('parsed counter', counter, parsed.counter);
    expectTrue('parsed sid', sameBytes(parsed.sid, sid));
  },

  cc51_dtls_wrapper(v) {
    const keys = creds(v.inputs);
    const signer = new Cc51Signer(keys);
    const fields = { channel: int(v.inputs.channel, 'channel'), ticket: int(v.inputs.ticket, 'ticket'), sid: hex(v.inputs.session_id), dtls: hex(v.inputs.dtls) };
    expectEqual('packet', v.expected.packet, toHex(buildCc51Dtls(fields, signer)));
    const parsed = parseCc51Dtls(hex(v.expected.packet), signer);
    expectEqual('parsed channel', fields.channel, parsed.channel);
    expectEqual('parsed ticket', fields.ticket, parsed.ticket);
    expectTrue('parsed sid', sameBytes(parsed.sid, fields.sid));
    expectEqual('parsed dtls', v.inputs.dtls, toHex(parsed.dtls));
  },

  old_disco(v) {
    const keys = creds(v.inputs);
    const stage = int(v.inputs.stage, 'stage') as DiscoStage;
    const sid = hex(v.inputs.session_id);
    const msg = checkIotc(buildDiscoRequest({ uid: keys.uidField, sid, stage, authKey: keys.authKeyBytes }), v.expected, IotcCommand.DiscoRequest);
    if (msg.type !== 'disco-request') throw new VectorMismatch('type', 'disco-request', msg.type);
    expectEqual('parsed uid', keys.uid, uidFromField(msg.uid));
    expectEqual('parsed stage', stage, msg.stage);
    expectTrue('parsed sid', sameBytes(msg.sid, sid));
  },

  old_session(v) {
    const uid = deriveTransportKeys({ uid: str(v.inputs.uid, 'uid'), enr: '', mac: '' }).uidField;
    const sid = hex(v.inputs.session_id);
    const timestamp = int(v.inputs.timestamp, 'timestamp');
    const msg = checkIotc(buildIotcSessionRequest({ uid, sid, timestamp }), v.expected, IotcCommand.SessionRequest);
    if (msg.type !== 'session-request') throw new VectorMismatch('type', 'session-request', msg.type);
    expectEqual('parsed timestamp', timestamp, msg.timestamp);
    expectTrue('parsed sid', sameBytes(msg.sid, sid));
  },

  old_data_tx(v) {
    const fields = { cmd: IotcCommand.DataFromClient, seq: int(v.inputs.seq, 'seq'), channel: int(v.inputs.channel, 'channel'), sid: hex(v.inputs.session_id), payload: hex(v.inputs.payload) };
    const msg = checkIotc(buildIotcData(fields), v.expected, IotcCommand.DataFromClient);
    if (msg.type !== 'data') throw new VectorMismatch('type', 'data', msg.type);
    expectEqual('parsed seq', fields.seq, msg.seq);
    expectEqual('parsed channel', fields.channel, msg.channel);
    expectEqual('parsed payload', v.inputs.payload, toHex(msg.payload));
  },

  old_keepalive(v) {
    const camera = hex(v.inputs.camera_wire);
    const ping = decodeIotcDatagram(camera);
    expectEqual('camera_plaintext', v.expected.camera_plaintext, toHex(camera));
    if (ping.type !== 'keepalive-ping') throw new VectorMismatch('type', 'keepalive-ping', ping.type);
    const reply = buildIotcKeepaliveReply(ping.echo);
    expectEqual('reply_plaintext', v.expected.reply_plaintext, toHex(reply));
    expectEqual('reply_wire', v.expected.reply_wire, toHex(encodeIotcDatagram(reply)));
  },
};
