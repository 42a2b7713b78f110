/** What a viewer's player decodes, from the `hello` message's MIME types (MediaSource.isTypeSupported). */
export interface ViewerCodecs {
  video(codecString: string): boolean;
  audio(codecString: string): boolean;
}

/** live.mp4 is for players with their own decoders (ffmpeg, VLC): everything the stream carries. */
export const ANY_CODEC: ViewerCodecs = { video: () => true, audio: () => true };

/** Sample entry types that carry the same codec (ISO/IEC 14496-15: avc1/avc3, hvc1/hev1). */
const FAMILY: Record<string, string> = { avc1: 'avc', avc3: 'avc', hvc1: 'hevc', hev1: 'hevc' };

const MAX_TYPES = 64;
const MAX_TYPE_LENGTH = 256;

/** The codecs a list of MIME types names (`video/mp4; codecs="avc1.640028,flac"` → avc1.640028, flac). */
export function codecsOfMimeTypes(types: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const m = /codecs\s*=\s*"?([^";]*)"?/i.exec(t);
    if (m) for (const c of m[1].split(',')) if (c.trim()) out.push(c.trim().toLowerCase());
  }
  return out;
}

/**
 * The viewer's codecs. A video codec matches by family (avc1.* for any H.264 profile, hvc1/hev1.* for
 * H.265): the player lists candidates before it knows the camera's profile and level, and a browser that
 * plays one H.264 profile in MSE plays the camera's. Audio matches by the codec string's object type
 * ("mp4a.40.2", "flac", "opus").
 */
export function viewerCodecs(types: readonly string[]): ViewerCodecs {
  const listed = codecsOfMimeTypes(types);
  const families = new Set(listed.map((c) => FAMILY[c.split('.')[0]]).filter(Boolean));
  const exact = new Set(listed);
  return {
    video: (c) => families.has(FAMILY[c.toLowerCase().split('.')[0]]),
    audio: (c) => exact.has(c.toLowerCase()),
  };
}

/** Parses the client's first message, `{"type":"hello","mimeTypes":[…]}`; undefined when it is not one. */
export function parseHello(text: string): string[] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || (v as { type?: unknown }).type !== 'hello') return undefined;
  const types = (v as { mimeTypes?: unknown }).mimeTypes;
  if (!Array.isArray(types) || types.length > MAX_TYPES) return undefined;
  if (!types.every((t) => typeof t === 'string' && t.length <= MAX_TYPE_LENGTH)) return undefined;
  return types as string[];
}
