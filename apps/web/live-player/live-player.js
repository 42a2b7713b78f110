// A live view player for wyze-nvr: a standalone ES module (no build step), served by the API at
// /live-player.js. It opens the camera's live WebSocket (GET /cameras/:id/live), tells the server which
// MP4 codecs this browser's Media Source Extensions play, and appends the fragmented MP4 it gets — an init
// segment, then one moof+mdat per camera frame — to a SourceBuffer, keeping the picture close to live.
//
//   import { LivePlayer } from '/live-player.js';
//   const player = new LivePlayer(videoElement, { cameraId: 1, token });
//   player.addEventListener('status', (e) => console.log(e.detail));
//   player.start();
//
// Protocol (wyze-nvr.live.v1): client → `{"type":"hello","mimeTypes":[…]}`; server → `{"type":"codecs","mime",
// "video","audio","timeBaseUs"}` then the init segment (binary) and fragments (binary); `{"type":"skipped",
// "frames":N}` before a keyframe when this viewer fell behind and frames were dropped; `{"type":"error",
// "code","message"}` before the server closes. A new `codecs` message (a codec or resolution change) is
// followed by a new init segment.

export const LIVE_PROTOCOL = 'wyze-nvr.live.v1';

// Codecs a camera may send (RFC 6381 / ISO/IEC 14496-15 codecs strings), as candidates for the hello: the
// server matches video by codec family (any avc1 for H.264, hvc1/hev1 for H.265), so a few profiles and
// levels per family are enough, and the list stays well under the server's 64 entries.
const H264_PROFILES = ['42E0', '4D40', '6400']; // Constrained Baseline, Main, High
const H264_LEVELS = ['1E', '1F', '28', '32', '33']; // 3.0, 3.1, 4.0, 5.0, 5.1
const H265_CODECS = ['hvc1.1.6.L93.B0', 'hvc1.1.6.L120.B0', 'hvc1.1.6.L150.B0', 'hvc1.1.6.L153.B0', 'hvc1.2.4.L120.B0', 'hvc1.2.4.L153.B0', 'hev1.1.6.L93.B0', 'hev1.1.6.L120.B0'];
const AUDIO_CODECS = ['mp4a.40.2', 'mp4a.40.5', 'flac', 'opus'];

/** Every candidate MIME type this browser plays under MSE, for the hello. */
export function supportedMimeTypes(isTypeSupported = (t) => globalThis.MediaSource?.isTypeSupported(t) ?? false) {
  const video = [...H264_PROFILES.flatMap((p) => H264_LEVELS.map((l) => `avc1.${p}${l}`)), ...H265_CODECS].map((c) => `video/mp4; codecs="${c}"`);
  const audio = AUDIO_CODECS.map((c) => `audio/mp4; codecs="${c}"`);
  return [...video, ...audio].filter((t) => isTypeSupported(t));
}

/** Tuning; the defaults keep the picture about half a second behind the newest frame received. */
const DEFAULTS = {
  /** Seconds of media ahead of the playhead the player aims for (6 frames at 15 fps, 8 at 20). */
  targetLagS: 0.4,
  /** Behind by more than this, the playhead jumps to the live edge instead of catching up. */
  maxLagS: 3,
  /** Fastest catch-up rate while behind (within maxLagS). */
  maxRate: 1.1,
  /** Media kept behind the playhead; older ranges are removed. */
  backBufferS: 3,
  /** Messages waiting for the SourceBuffer; beyond this the browser cannot keep up and the player reconnects. */
  maxQueue: 600,
  /** No media for this long while connected: the stream is dead, reconnect. */
  stallTimeoutS: 20,
  /** Reconnect delays: first, then doubled up to the last. */
  reconnectMinS: 0.5,
  reconnectMaxS: 10,
  tickMs: 250,
};

const HAVE_METADATA = 1;

/**
 * Plays one camera live in a <video> element, reconnecting by itself (with backoff) until stop().
 * Emits `status` events ({ state, message }) with state one of connecting, playing, stalled, reconnecting,
 * error, stopped; `stats` has the figures a page shows (and a test reads).
 */
export class LivePlayer extends EventTarget {
  constructor(video, options) {
    super();
    this.video = video;
    this.options = { ...DEFAULTS, ...options };
    this.ws = null;
    this.media = null;
    this.stopped = true;
    this.fatal = false;
    this.reconnectDelayS = this.options.reconnectMinS;
    this.reconnectTimer = null;
    this.ticker = null;
    this.lastMediaAt = 0;
    this.timeBaseUs = undefined;
    this.stats = { state: 'stopped', message: '', mime: '', width: 0, height: 0, hasAudio: false, aheadS: 0, pictureTimeMs: null, fragments: 0, bytes: 0, skips: 0, skippedFrames: 0, connects: 0, jumps: 0, rate: 1 };
  }

  /** The WebSocket URL of a camera's live view on the page's own origin. */
  static urlFor(cameraId, origin = globalThis.location) {
    const scheme = origin.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${origin.host}/cameras/${encodeURIComponent(cameraId)}/live`;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.fatal = false;
    this.ticker = setInterval(() => this.tick(), this.options.tickMs);
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearInterval(this.ticker);
    clearTimeout(this.reconnectTimer);
    this.closeSocket();
    this.closeMedia();
    this.setState('stopped', '');
  }

  connect() {
    this.stats.connects++;
    this.setState('connecting', 'connecting…');
    // Browsers cannot set an Authorization header on a WebSocket: the token travels as a subprotocol
    // next to the protocol's own name (never in the URL, which ends up in logs and history).
    const protocols = this.options.token ? [LIVE_PROTOCOL, `bearer.${this.options.token}`] : [LIVE_PROTOCOL];
    let ws;
    try {
      ws = new WebSocket(this.options.url ?? LivePlayer.urlFor(this.options.cameraId), protocols);
    } catch (e) {
      // A token with characters a subprotocol cannot hold (RFC 6455 §4.1: an HTTP token).
      this.fail('bad-token', `this token cannot be sent to a WebSocket (${e.message}); use letters, digits, - and _`);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.lastMediaAt = performance.now();
    let opened = false;
    let gotCodecs = false;
    ws.onopen = () => {
      opened = true;
      ws.send(JSON.stringify({ type: 'hello', mimeTypes: supportedMimeTypes() }));
    };
    ws.onmessage = (e) => {
      if (ws !== this.ws) return;
      if (typeof e.data === 'string') {
        let msg;
        try {
          msg = JSON.parse(e.data);
        } catch {
          return;
        }
        if (msg.type === 'codecs') gotCodecs = true;
        this.onControl(msg);
      } else this.onMedia(e.data);
    };
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.ws = null;
      if (this.stopped || this.fatal) return;
      // Closed before the stream began: refused (401/404/503/429 answer before the upgrade) or unreachable.
      const refused = !opened || !gotCodecs;
      this.dispatchEvent(new CustomEvent('closed', { detail: { code: e.code, reason: e.reason, refused } }));
      if (!this.stopped && !this.fatal) this.scheduleReconnect();
    };
  }

  onControl(msg) {
    switch (msg.type) {
      case 'codecs':
        this.timeBaseUs = typeof msg.timeBaseUs === 'number' ? msg.timeBaseUs : undefined;
        this.stats.width = msg.video?.width ?? 0;
        this.stats.height = msg.video?.height ?? 0;
        this.stats.hasAudio = Boolean(msg.audio);
        this.openMedia(String(msg.mime));
        break;
      case 'skipped':
        this.stats.skips++;
        this.stats.skippedFrames += Number(msg.frames) || 0;
        break;
      case 'error':
        // An unsupported codec will not change by reconnecting; other errors may (a restarted camera).
        if (msg.code === 'unsupported-codec') this.fail(msg.code, String(msg.message ?? 'this browser cannot play the camera’s stream'));
        else this.setState('error', String(msg.message ?? msg.code ?? 'error'));
        break;
      default:
        break; // newer servers may say more
    }
  }

  onMedia(buffer) {
    const m = this.media;
    if (!m) return; // bytes before a codecs message belong to no stream
    this.lastMediaAt = performance.now();
    this.stats.fragments++;
    this.stats.bytes += buffer.byteLength;
    this.reconnectDelayS = this.options.reconnectMinS;
    if (m.queue.length >= this.options.maxQueue) {
      this.restart('the browser cannot keep up; reconnecting');
      return;
    }
    m.queue.push(buffer);
    this.pump();
  }

  /** A new MediaSource and SourceBuffer for a stream (first one, or after a codec or resolution change). */
  openMedia(mime) {
    this.closeMedia();
    if (!globalThis.MediaSource?.isTypeSupported(mime)) {
      this.fail('unsupported-codec', `this browser cannot play ${mime}`);
      return;
    }
    const ms = new MediaSource();
    const m = { ms, sb: null, queue: [], mime, url: URL.createObjectURL(ms), started: false, startedAt: 0, settled: false, trimTo: 0 };
    this.media = m;
    this.stats.mime = mime;
    ms.addEventListener(
      'sourceopen',
      () => {
        if (this.media !== m) return;
        URL.revokeObjectURL(m.url);
        try {
          m.sb = ms.addSourceBuffer(mime);
        } catch (e) {
          this.fail('unsupported-codec', `this browser cannot play ${mime} (${e.message})`);
          return;
        }
        m.sb.addEventListener('updateend', () => this.pump());
        m.sb.addEventListener('error', () => this.restart('the browser could not decode the stream; reconnecting'));
        this.pump();
      },
      { once: true },
    );
    this.video.src = m.url;
  }

  closeMedia() {
    const m = this.media;
    this.media = null;
    if (!m) return;
    if (m.ms.readyState === 'open') {
      try {
        m.ms.endOfStream();
      } catch {
        // a SourceBuffer still updating: the element is being detached anyway
      }
    }
    this.video.removeAttribute('src');
    this.video.load();
  }

  /** Appends queued messages in order, one at a time (a SourceBuffer takes one operation while updating). */
  pump() {
    const m = this.media;
    if (!m?.sb || m.sb.updating || m.ms.readyState !== 'open') return;
    if (m.trimTo > 0) {
      const to = m.trimTo;
      m.trimTo = 0;
      m.sb.remove(0, to);
      return;
    }
    const next = m.queue.shift();
    if (!next) return;
    try {
      m.sb.appendBuffer(next);
    } catch (e) {
      if (e.name === 'QuotaExceededError') {
        // Full: drop what is behind the playhead and try the same bytes again.
        m.queue.unshift(next);
        m.trimTo = Math.max(0, this.video.currentTime - 0.5);
        if (m.trimTo > 0) this.pump();
        else this.restart('the browser’s media buffer is full; reconnecting');
      } else this.restart(`the browser refused the stream (${e.message}); reconnecting`);
    }
  }

  /** Keeps the playhead near the live edge: start near it, jump gaps, catch up by rate, jump when far behind. */
  tick() {
    const m = this.media;
    const v = this.video;
    if (this.ws && performance.now() - this.lastMediaAt > this.options.stallTimeoutS * 1000) {
      this.restart('no video for a while; reconnecting');
      return;
    }
    if (!m?.sb || v.readyState < HAVE_METADATA || v.buffered.length === 0) return;
    const b = v.buffered;
    const last = b.length - 1;
    const edge = b.end(last);
    const t = v.currentTime;
    const { targetLagS, maxLagS, maxRate, backBufferS } = this.options;
    let at = -1;
    for (let i = 0; i < b.length; i++) if (t >= b.start(i) - 0.05 && t <= b.end(i) + 0.05) at = i;
    const jump = (to, why) => {
      v.currentTime = to;
      this.stats.jumps++;
      this.stats.lastJump = why;
    };
    if (!m.started) {
      // Fast start: the server sends the current GOP at once; play from near its newest frame.
      m.started = true;
      m.startedAt = Math.max(b.start(last), edge - targetLagS);
      jump(m.startedAt, 'start');
      this.play();
    } else if (!m.settled && t > m.startedAt + 0.05) {
      // Playback has begun. Starting (decoding from the keyframe, opening the audio output) took a while,
      // during which frames kept coming: seek once more rather than catch up slowly by rate.
      m.settled = true;
      if (edge - t > targetLagS + 0.3) jump(edge - targetLagS, 'settle');
    } else if (at === -1 || (at < last && b.end(at) - t < 0.15)) {
      // Outside the buffered media, or at the end of a range with a later one (frames were skipped).
      jump(Math.max(b.start(last), edge - targetLagS), 'gap');
    } else if (edge - t > maxLagS) {
      jump(edge - targetLagS, 'behind');
    }
    const ahead = edge - v.currentTime;
    // Catch up smoothly: up to maxRate while more than 0.1 s over the target, back to 1 once near it.
    const rate = ahead > targetLagS + 0.1 ? Math.min(maxRate, 1 + (ahead - targetLagS) * 0.25) : 1;
    if (Math.abs(v.playbackRate - rate) > 0.005) v.playbackRate = rate;
    this.stats.rate = rate;
    this.stats.aheadS = ahead;
    this.stats.pictureTimeMs = this.timeBaseUs === undefined ? null : this.timeBaseUs / 1000 + v.currentTime * 1000;
    if (v.currentTime - b.start(0) > backBufferS * 2 && !m.sb.updating) {
      m.trimTo = v.currentTime - backBufferS;
      this.pump();
    }
    if (v.paused && !this.playPending) this.play();
    if (this.stats.state !== 'playing' && !v.paused && ahead > 0) this.setState('playing', '');
  }

  play() {
    this.playPending = true;
    this.video
      .play()
      .catch((e) => {
        // Autoplay with sound needs a user gesture in most browsers; muted autoplay is allowed.
        if (e.name === 'NotAllowedError' && !this.video.muted) {
          this.video.muted = true;
          this.dispatchEvent(new CustomEvent('muted'));
          return this.video.play();
        }
        return undefined;
      })
      .catch(() => undefined)
      .finally(() => (this.playPending = false));
  }

  restart(message) {
    this.setState('reconnecting', message);
    this.closeSocket();
    this.closeMedia();
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped || this.fatal) return;
    clearTimeout(this.reconnectTimer);
    const delay = this.reconnectDelayS;
    this.reconnectDelayS = Math.min(this.options.reconnectMaxS, delay * 2);
    if (this.stats.state !== 'reconnecting' && this.stats.state !== 'error') this.setState('reconnecting', `reconnecting in ${delay} s`);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped && !this.fatal) this.connect();
    }, delay * 1000);
  }

  closeSocket() {
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
  }

  /** A problem reconnecting cannot solve: shown, and the player stays stopped. */
  fail(code, message) {
    this.fatal = true;
    this.stats.errorCode = code;
    this.closeSocket();
    this.closeMedia();
    this.setState('error', message);
  }

  setState(state, message) {
    this.stats.state = state;
    this.stats.message = message;
    this.dispatchEvent(new CustomEvent('status', { detail: { state, message } }));
  }
}
