// Types of live-player.js (a plain ES module served as it is at /live-player.js) for the TypeScript web app.

export declare const LIVE_PROTOCOL: 'wyze-nvr.live.v1';
export declare function supportedMimeTypes(isTypeSupported?: (type: string) => boolean): string[];

export type LivePlayerState = 'connecting' | 'playing' | 'stalled' | 'reconnecting' | 'error' | 'stopped';

export interface LivePlayerOptions {
  cameraId: number | string;
  /** The API token as a WebSocket subprotocol; without it the session cookie authenticates the upgrade. */
  token?: string;
  url?: string;
  targetLagS?: number;
  maxLagS?: number;
}

export interface LivePlayerStats {
  state: LivePlayerState;
  message: string;
  mime: string;
  width: number;
  height: number;
  hasAudio: boolean;
  aheadS: number;
  pictureTimeMs: number | null;
  fragments: number;
  bytes: number;
  skips: number;
  skippedFrames: number;
  connects: number;
  jumps: number;
  rate: number;
}

export declare class LivePlayer extends EventTarget {
  constructor(video: HTMLVideoElement, options: LivePlayerOptions);
  readonly stats: LivePlayerStats;
  static urlFor(cameraId: number | string, origin?: Location): string;
  start(): void;
  stop(): void;
}
