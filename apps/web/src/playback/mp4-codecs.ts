// The MSE MIME type of a fragmented MP4 from its init segment (RFC 6381 codecs strings): the sample
// entries under moov/trak/mdia/minf/stbl/stsd, with the profile and level of H.264 from avcC and of H.265
// from hvcC, and the AAC object type from esds. A browser-side reader of just these boxes keeps the
// bundle small (the recorder writes the init segment; its layout is ISO/IEC 14496-12).

interface Box {
  type: string;
  start: number;
  payload: number;
  end: number;
}

function boxesIn(b: Uint8Array, from: number, to: number): Box[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Box[] = [];
  for (let p = from; p + 8 <= to; ) {
    let size = dv.getUint32(p);
    let header = 8;
    if (size === 1 && p + 16 <= to) {
      size = Number(dv.getBigUint64(p + 8));
      header = 16;
    } else if (size === 0) size = to - p;
    if (size < header || p + size > to) break;
    out.push({ type: String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]), start: p, payload: p + header, end: p + size });
    p += size;
  }
  return out;
}

function child(b: Uint8Array, parent: Box, type: string, skip = 0): Box | undefined {
  return boxesIn(b, parent.payload + skip, parent.end).find((x) => x.type === type);
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();

/** The length of the init segment (ftyp + moov) at the start of `b`, or undefined while moov is incomplete. */
export function initSegmentLength(b: Uint8Array): number | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 0; p + 8 <= b.length; ) {
    const size = dv.getUint32(p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    if (size < 8) return undefined;
    if (type === 'moov') return p + size <= b.length ? p + size : undefined;
    p += size;
  }
  return undefined;
}

function sampleEntryCodec(b: Uint8Array, entry: Box): string {
  // Visual sample entries have 78 bytes before their child boxes, audio ones 28 (ISO/IEC 14496-12 §12.1, §12.2).
  switch (entry.type) {
    case 'avc1':
    case 'avc3': {
      const avcC = child(b, entry, 'avcC', 78);
      return avcC ? `${entry.type}.${hex2(b[avcC.payload + 1])}${hex2(b[avcC.payload + 2])}${hex2(b[avcC.payload + 3])}` : `${entry.type}.42E01E`;
    }
    case 'hvc1':
    case 'hev1': {
      const hvcC = child(b, entry, 'hvcC', 78);
      if (!hvcC) return `${entry.type}.1.6.L93.B0`;
      const p = hvcC.payload;
      const profile = b[p + 1] & 0x1f;
      const tier = (b[p + 1] & 0x20) !== 0 ? 'H' : 'L';
      const compat = new DataView(b.buffer, b.byteOffset).getUint32(p + 2);
      let reversed = 0;
      for (let i = 0; i < 32; i++) if (compat & (1 << i)) reversed |= 1 << (31 - i);
      // Constraint flags: six bytes, trailing zero bytes left out (ISO/IEC 14496-15 Annex E).
      const flags = [...b.subarray(p + 6, p + 12)];
      while (flags.length > 1 && flags[flags.length - 1] === 0) flags.pop();
      return `${entry.type}.${profile}.${(reversed >>> 0).toString(16).toUpperCase()}.${tier}${b[p + 12]}.${flags.map((f) => f.toString(16).toUpperCase()).join('.')}`;
    }
    case 'mp4a': {
      const esds = child(b, entry, 'esds', 28);
      return `mp4a.40.${esds ? aacObjectType(b, esds) : 2}`;
    }
    case 'Opus':
      return 'opus';
    case 'fLaC':
      return 'flac';
    default:
      return entry.type;
  }
}

/** The audio object type from esds's DecoderSpecificInfo (ISO/IEC 14496-1 descriptors), 2 (AAC-LC) if absent. */
function aacObjectType(b: Uint8Array, esds: Box): number {
  for (let p = esds.payload + 4; p < esds.end - 1; p++) {
    if (b[p] !== 0x05) continue;
    let q = p + 1;
    while (q < esds.end && b[q] & 0x80) q++;
    const first = b[q + 1];
    const type = first >> 3;
    if (type >= 1 && type <= 31) return type;
  }
  return 2;
}

/** Codecs of the init segment's tracks, video first (e.g. ["avc1.640028", "mp4a.40.2"]). */
export function initCodecs(init: Uint8Array): string[] {
  const moov = boxesIn(init, 0, init.length).find((x) => x.type === 'moov');
  if (!moov) return [];
  const codecs: { video: boolean; codec: string }[] = [];
  for (const trak of boxesIn(init, moov.payload, moov.end).filter((x) => x.type === 'trak')) {
    const mdia = child(init, trak, 'mdia');
    const minf = mdia && child(init, mdia, 'minf');
    const stbl = minf && child(init, minf, 'stbl');
    const stsd = stbl && child(init, stbl, 'stsd');
    if (!stsd) continue;
    // stsd: full box header (4) and entry_count (4), then the sample entries.
    const [entry] = boxesIn(init, stsd.payload + 8, stsd.end);
    if (entry) codecs.push({ video: !!child(init, minf!, 'vmhd'), codec: sampleEntryCodec(init, entry) });
  }
  return [...codecs.filter((c) => c.video), ...codecs.filter((c) => !c.video)].map((c) => c.codec);
}

/** The SourceBuffer MIME type of an init segment. */
export function mimeOfInit(init: Uint8Array): string {
  return `video/mp4; codecs="${initCodecs(init).join(', ')}"`;
}
