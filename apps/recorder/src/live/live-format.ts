import { LiveFragmenter, mp4MimeType, type AudioTrackConfig, type StreamConfig, type VideoTrackConfig } from '@wyze-nvr/media';

/** The `codecs` message of the live protocol (see README "Live view"). */
export interface CodecsMessage {
  type: 'codecs';
  /** MIME type with the RFC 6381 codecs of what follows, for MediaSource.addSourceBuffer. */
  mime: string;
  video: { codec: string; width: number; height: number };
  audio: { codec: string; sampleRate: number; channels: number } | null;
  /** Wall-clock µs of decode time 0: a fragment's tfdt / timescale + this is the frame's capture time. */
  timeBaseUs: number;
}

/**
 * One format of a camera's live stream: the tracks every fragment until the next change belongs to, and
 * their init segments with and without audio (a viewer whose player takes no audio codec gets video only;
 * video fragments are the same bytes under both).
 */
export class LiveFormat {
  readonly fragmenter: LiveFragmenter;
  private inits: [Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined];

  constructor(
    readonly video: VideoTrackConfig,
    readonly audio: AudioTrackConfig | undefined,
    /** Changes with every video config; viewers restart only for a change that concerns them. */
    readonly videoVersion: number,
    readonly audioVersion: number,
    readonly timeBaseUs: number,
  ) {
    this.fragmenter = new LiveFragmenter({ video, audio }, { timeBaseUs });
  }

  private config(withAudio: boolean): StreamConfig {
    return withAudio && this.audio ? { video: this.video, audio: this.audio } : { video: this.video };
  }

  init(withAudio: boolean): Uint8Array {
    const i = withAudio && this.audio ? 1 : 0;
    return (this.inits[i] ??= new LiveFragmenter(this.config(i === 1), { timeBaseUs: this.timeBaseUs }).init());
  }

  codecs(withAudio: boolean): CodecsMessage {
    const a = withAudio ? this.audio : undefined;
    return {
      type: 'codecs',
      mime: mp4MimeType(this.config(withAudio)),
      video: { codec: this.video.codecString, width: this.video.width, height: this.video.height },
      audio: a ? { codec: a.codec === 'pcmu' ? 'ulaw' : a.codecString, sampleRate: a.sampleRate, channels: a.channels } : null,
      timeBaseUs: this.timeBaseUs,
    };
  }
}
