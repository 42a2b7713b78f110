// What `npm run fuzz` feeds: each parser family with the valid messages its mutations start from. The
// messages are built here with the protocol's own builders, fixed keys and ids, so a run replays exactly
// from its seeds; the unit-tier fuzz specs keep their own, smaller corpora.
import {
  Codec,
  Cc51FlavourClient,
  Cc51FlavourDevice,
  Cc51Signer,
  FlavourProbe,
  FrameAssembler,
  InOrderFrameAssembler,
  KCmd,
  MediaChannel,
  OldFlavourClient,
  OldFlavourDevice,
  backchannelLoginEcho,
  buildAck,
  buildAudioTxFrame,
  buildAvLoginPair,
  buildAvLoginResponse,
  buildCc51Discovery,
  buildCc51Dtls,
  buildCc51Keepalive,
  buildDiscoReply,
  buildDiscoRequest,
  buildHl,
  buildIotcData,
  buildIotcKeepalivePing,
  buildIotcKeepaliveReply,
  buildIotcSessionReply,
  buildIotcSessionRequest,
  buildIoctrlFrame,
  buildK10000,
  buildK10001,
  buildK10002,
  buildK10010,
  buildK10056,
  buildKReply,
  clientHelloExtensions,
  decodeIotcDatagram,
  deriveTransportKeys,
  encodeClientHello,
  encodeClientKeyExchange,
  encodeHandshake,
  encodeHelloVerifyRequest,
  encodeServerHello,
  encodeServerKeyExchange,
  IotcCommand,
  packetizeFrame,
  parseAck,
  parseAudioTxFrame,
  parseAvLogin,
  parseAvLoginResponse,
  parseAvPacket,
  parseCc51Discovery,
  parseCc51Dtls,
  parseCc51Keepalive,
  parseCc51Packet,
  parseClientHello,
  parseClientKeyExchange,
  parseDiscoReply,
  parseDiscoRequest,
  parseFrameInfo,
  parseHandshakeFragments,
  parseHelloVerifyRequest,
  parseHl,
  parseIoctrlFrame,
  parseIotcData,
  parseIotcKeepalivePing,
  parseIotcKeepaliveReply,
  parseIotcPacket,
  parseIotcSessionReply,
  parseIotcSessionRequest,
  parseK10000,
  parseK10001,
  parseK10002,
  parseK10010,
  parseK10056,
  parseKReply,
  parseRecords,
  parseServerHello,
  parseServerKeyExchange,
  parseTxFrameInfo,
  plaintextRecord,
  readCc51Header,
  readIotcHeader,
  transcodeEncodePacket,
  type ClientFlavour,
  type DeviceFlavour,
  type MediaFrameAssembler,
  type FrameInfo,
} from '@wyze-nvr/tutk';
import { controlsFamily } from './controls-family';
import { mediaFamily } from './media-family';

/** One parser (or a stateful consumer, made fresh per run) and where its mutations start. */
export interface FuzzTarget {
  name: string;
  make(): (input: Uint8Array) => unknown;
  samples: Uint8Array[];
  /** The parser's typed error; TutkParseError when not given. */
  isTypedError?: (e: unknown) => boolean;
}

export interface FuzzFamily {
  name: string;
  targets(): FuzzTarget[];
}

const keys = deriveTransportKeys({ uid: 'FUZZ0000000000000001', enr: 'fuzz-enr-16bytes', mac: 'A1B2C3D4E5F6' });
const sid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);
/** A parser used as a plain function: no state to make fresh. */
const stateless = (name: string, parse: (b: Uint8Array) => unknown, samples: Uint8Array[]): FuzzTarget => ({ name, make: () => parse, samples });

function iotc(): FuzzTarget[] {
  const plains = ([1, 2] as const).flatMap((stage) => [buildDiscoRequest({ uid: keys.uidField, sid, stage, authKey: keys.authKeyBytes }), buildDiscoReply({ uid: keys.uidField, sid, stage })]);
  for (const timestamp of [0, 0x7fffffff]) plains.push(buildIotcSessionRequest({ uid: keys.uidField, sid, timestamp }), buildIotcSessionReply({ uid: keys.uidField, sid, timestamp }));
  for (const [cmd, size] of [[IotcCommand.DataFromClient, 900], [IotcCommand.DataFromDevice, 1]] as const) plains.push(buildIotcData({ cmd, seq: size, channel: size & 1, sid, payload: filled(size, 0x17) }));
  plains.push(buildIotcKeepalivePing(filled(8, 9)), buildIotcKeepaliveReply(filled(8, 9)));
  const parsers = { parseIotcPacket, readIotcHeader, parseDiscoRequest, parseDiscoReply, parseIotcSessionRequest, parseIotcSessionReply, parseIotcData, parseIotcKeepalivePing, parseIotcKeepaliveReply };
  return [stateless('decodeIotcDatagram', decodeIotcDatagram, plains.map((p) => transcodeEncodePacket(p))), ...Object.entries(parsers).map(([name, parse]) => stateless(name, parse, plains))];
}

function cc51(): FuzzTarget[] {
  const signer = new Cc51Signer(keys);
  const samples = [
    ...[0, 0xffff].map((direction) => buildCc51Discovery({ direction, seq: direction & 7, ticket: 3, sid }, signer)),
    buildCc51Keepalive({ counter: 1, sid }, signer),
    ...[40, 1100].map((n) => buildCc51Dtls({ channel: n & 1, ticket: 3, sid, dtls: filled(n, 0x16) }, signer)),
  ];
  return [
    stateless('parseCc51Packet', (b) => parseCc51Packet(b, signer), samples),
    stateless('parseCc51Packet (no HMAC check)', (b) => parseCc51Packet(b), samples),
    stateless('parseCc51Discovery', (b) => parseCc51Discovery(b, signer), samples),
    stateless('parseCc51Keepalive', (b) => parseCc51Keepalive(b, signer), samples),
    stateless('parseCc51Dtls', (b) => parseCc51Dtls(b, signer), samples),
    stateless('readCc51Header', readCc51Header, samples),
  ];
}

/** Every datagram one client/device pair of a flavour exchanges up to a keepalive, copied before unwrap decodes in place. */
function conversation(client: ClientFlavour, device: DeviceFlavour): Uint8Array[] {
  const seen: Uint8Array[] = [];
  const keep = (b: Uint8Array) => (seen.push(Uint8Array.from(b)), b);
  const disco = device.unwrap(keep(client.probe()));
  if (disco.kind === 'discovery' && disco.reply) client.unwrap(keep(disco.reply));
  const session = device.unwrap(keep(client.sessionRequest(7)));
  if (session.kind === 'session') keep(session.reply);
  device.unwrap(keep(client.wrap(0, filled(200, 0x17))));
  client.unwrap(keep(device.wrap(1, filled(60, 0x16))));
  const ka = client.unwrap(keep(device.keepalive()));
  if (ka.kind === 'keepalive') keep(ka.reply);
  return seen;
}

function flavour(): FuzzTarget[] {
  const old = conversation(new OldFlavourClient(keys, sid), new OldFlavourDevice(keys));
  const cc = conversation(new Cc51FlavourClient(keys, { sessionId: sid }), new Cc51FlavourDevice(keys));
  const unwrapper = (name: string, make: () => { unwrap(b: Uint8Array): unknown }, samples: Uint8Array[]): FuzzTarget => ({
    name,
    make() {
      const f = make();
      return (b) => f.unwrap(b);
    },
    samples,
  });
  return [
    unwrapper('OldFlavourClient.unwrap', () => new OldFlavourClient(keys, sid), old),
    unwrapper('OldFlavourDevice.unwrap', () => new OldFlavourDevice(keys), old),
    unwrapper('Cc51FlavourClient.unwrap', () => new Cc51FlavourClient(keys, { sessionId: sid }), cc),
    unwrapper('Cc51FlavourClient.unwrap (no HMAC check)', () => new Cc51FlavourClient(keys, { sessionId: sid, verifyHmac: false }), cc),
    unwrapper('Cc51FlavourDevice.unwrap', () => new Cc51FlavourDevice(keys), cc),
    {
      name: 'FlavourProbe.accept',
      make() {
        let probe = new FlavourProbe(keys, sid);
        // A probe that has decided stays decided; a fresh one lets later inputs reach the deciding code.
        return (b) => probe.accept(b) && (probe = new FlavourProbe(keys, sid));
      },
      samples: [...old, ...cc],
    },
  ];
}

function dtls(): FuzzTarget[] {
  const random = filled(32, 0x5a);
  const bodies = {
    clientHello: encodeClientHello({ clientVersion: 0xfefd, random, sessionId: new Uint8Array(0), cookie: filled(20, 1), cipherSuites: [0xccac, 0x00ae], compressionMethods: Uint8Array.of(0), extensions: clientHelloExtensions() }),
    serverHello: encodeServerHello({ serverVersion: 0xfefd, random, sessionId: filled(32, 2), cipherSuite: 0xccac, compressionMethod: 0, extensions: [] }),
    helloVerifyRequest: encodeHelloVerifyRequest({ serverVersion: 0xfefd, cookie: filled(20, 1) }),
    ecdheServerKeyExchange: encodeServerKeyExchange({ identityHint: filled(8, 0x41), namedCurve: 29, publicKey: filled(32, 3) }),
    pskServerKeyExchange: encodeServerKeyExchange({ identityHint: filled(8, 0x41) }),
    ecdheClientKeyExchange: encodeClientKeyExchange({ identity: filled(16, 0x42), publicKey: filled(32, 4) }),
    pskClientKeyExchange: encodeClientKeyExchange({ identity: filled(16, 0x42) }),
  };
  const types = [1, 2, 3, 12, 12, 16, 16];
  const handshakes = Object.values(bodies).map((body, i) => encodeHandshake(types[i], i, body));
  // A flight of several records in one datagram, as the endpoints send them, besides single ones.
  const records = handshakes.map((h, i) => plaintextRecord(22, 0xfefd, 0, i, h));
  const datagrams = [...records, Uint8Array.from(Buffer.concat(records.slice(0, 4))), plaintextRecord(23, 0xfefd, 1, 9, filled(48, 0x17))];
  return [
    stateless('parseRecords', parseRecords, datagrams),
    stateless('parseHandshakeFragments', parseHandshakeFragments, [...handshakes, Uint8Array.from(Buffer.concat(handshakes))]),
    stateless('parseClientHello', parseClientHello, [bodies.clientHello]),
    stateless('parseServerHello', parseServerHello, [bodies.serverHello]),
    stateless('parseHelloVerifyRequest', parseHelloVerifyRequest, [bodies.helloVerifyRequest]),
    stateless('parseServerKeyExchange (ECDHE_PSK)', (b) => parseServerKeyExchange(b, 'ecdhe_psk'), [bodies.ecdheServerKeyExchange]),
    stateless('parseServerKeyExchange (PSK)', (b) => parseServerKeyExchange(b, 'psk'), [bodies.pskServerKeyExchange]),
    stateless('parseClientKeyExchange (ECDHE_PSK)', (b) => parseClientKeyExchange(b, 'ecdhe_psk'), [bodies.ecdheClientKeyExchange]),
    stateless('parseClientKeyExchange (PSK)', (b) => parseClientKeyExchange(b, 'psk'), [bodies.pskClientKeyExchange]),
  ];
}

function av(): FuzzTarget[] {
  const logins = buildAvLoginPair({ password: 'fuzz-password-16', randomId: Uint8Array.of(9, 8, 7, 6) });
  const hls = [
    buildK10000(),
    buildK10001({ status: 1, challenge: filled(16, 5) }),
    buildK10002({ response: filled(16, 6), sessionId: Uint8Array.of(4, 3, 2, 1), video: true, audio: false }),
    buildK10010({ media: 1, enable: false }),
    buildK10056({ frameSize: 1, bitrate: 120, fps: 15 }),
    buildKReply(KCmd.SetResolutionReply),
    buildHl(KCmd.AuthResult, filled(4, 1)),
  ];
  const ioctrl = hls.flatMap((hl, i) => (['client', 'camera'] as const).map((from) => buildIoctrlFrame({ avSeq: i, cmdSeq: i + 1, hl, from })));
  const kParsers: [string, (b: Uint8Array) => unknown][] = [
    ['parseK10000', parseK10000],
    ['parseK10001', parseK10001],
    ['parseK10002', parseK10002],
    ['parseK10010', parseK10010],
    ['parseK10056', parseK10056],
    ['parseKReply', (m) => parseKReply(m, KCmd.SetResolutionReply)],
  ];
  return [
    stateless('parseAvLogin', parseAvLogin, logins),
    stateless('backchannelLoginEcho', backchannelLoginEcho, logins),
    stateless('parseAvLoginResponse', parseAvLoginResponse, [false, true].map((ok) => buildAvLoginResponse(Uint8Array.of(9, 8, 7, 6), ok))),
    stateless('parseAck', parseAck, [buildAck({ avSeq: 7, rxStart: 1, rxEnd: 6, count: 6, ms16: 99 })]),
    stateless('parseHl', parseHl, hls),
    stateless('parseIoctrlFrame', parseIoctrlFrame, ioctrl),
    ...kParsers.map(([name, parse]) => stateless(name, parse, hls)),
  ];
}

/** Packets of a short stream: a keyframe, P-frames of one and of several packets, and audio. */
function mediaPackets(): Uint8Array[] {
  const info = (codec: number, flags: number, frameNo: number, payloadSize: number): FrameInfo => ({
    codec, flags, camIndex: 0, onlineNum: 1, fps: 20, resTier: 1, bitrate: 120, timestampUs: frameNo * 50_000, timestampSec: 1_700_000_000, payloadSize, frameNo, deviceId: 'A1B2C3D4E5F6',
  });
  const frames = [
    { channel: MediaChannel.IFrame, codec: Codec.H264, flags: 1, size: 3000 },
    { channel: MediaChannel.PFrame, codec: Codec.H264, flags: 0, size: 700 },
    { channel: MediaChannel.PFrame, codec: Codec.H264, flags: 0, size: 2100 },
    { channel: MediaChannel.Audio, codec: Codec.AacWyze, flags: 0x22, size: 300 },
  ];
  return frames.flatMap((f, i) =>
    [0, 1].flatMap((resend) => packetizeFrame(filled(f.size, 0x30 + i), { channel: f.channel, frameNo: i + 1, prevFrameNo: i, frameInfo: info(f.codec, f.flags, i + 1, f.size), resend: resend as 0 | 1 })),
  );
}

function frames(): FuzzTarget[] {
  const packets = mediaPackets();
  const infos = packets.filter((p) => p.length >= 40).map((p) => p.subarray(p.length - 40));
  const audio = [1, 2, 3].map((n) => buildAudioTxFrame({ frameNo: n, timestampUs: n * 64_000, codec: Codec.AacWyze, sampleRate: 16_000, channels: 1, payload: filled(n * 70, n) }));
  return [
    stateless('parseAvPacket', parseAvPacket, packets),
    stateless('parseFrameInfo', (b) => parseFrameInfo(b, b.length > 40 ? b.length - 40 : 0), infos),
    stateless('parseTxFrameInfo', (b) => parseTxFrameInfo(b), infos.map((i) => i.subarray(0, 16))),
    stateless('parseAudioTxFrame', parseAudioTxFrame, audio),
  ];
}

/** The assembler takes whatever the wire brings: it may drop, never throw or outgrow its bounds. */
function assembler(): FuzzTarget[] {
  const packets = mediaPackets();
  const defaultCap = 16 * 1024 * 1024;
  const profiles: [string, () => MediaFrameAssembler, number][] = [
    ['default', () => new FrameAssembler(), defaultCap],
    ['go2rtc in-order', () => new InOrderFrameAssembler(), defaultCap],
    ['tight bounds', () => new FrameAssembler({ maxBufferedBytes: 8000, maxFrameBytes: 6000, maxInFlightPerChannel: 2 }), 8000],
  ];
  return profiles.map(([name, create, bound]) => ({
    name: `FrameAssembler (${name})`,
    make() {
      const a = create();
      return (b) => {
        for (let f = a.push(b); f; f = a.pull()) if (f.data.length === 0) throw new Error('empty frame emitted');
        if (a.bufferedBytes > bound) throw new Error(`buffered ${a.bufferedBytes} bytes, bound ${bound}`);
      };
    },
    samples: packets,
    isTypedError: () => false,
  }));
}

export const FAMILIES: FuzzFamily[] = [
  { name: 'iotc', targets: iotc },
  { name: 'cc51', targets: cc51 },
  { name: 'flavour', targets: flavour },
  { name: 'dtls', targets: dtls },
  { name: 'av', targets: av },
  controlsFamily,
  { name: 'frames', targets: frames },
  { name: 'assembler', targets: assembler },
  mediaFamily,
];
