import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../common/domain.error';
import { CameraIdPipe } from '../common/params';
import { clientGone } from '../common/stream';
import { PictureQuery } from '../frames/frames.dto';
import { LiveService } from './live.service';
import { LiveSessions } from './live-sessions';
import { relayAnswer } from './relay';

const NOT_RECORDING = '503 camera-not-recording (with `state` and `reason`): the camera is not recording, or its recorder has not reported for a minute';

@ApiTags('live')
@ApiBearerAuth()
@Controller('cameras/:id')
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly sessions: LiveSessions,
  ) {}

  @Get('live')
  @ApiOperation({
    summary: 'Live view as a WebSocket (Upgrade: websocket); protocol wyze-nvr.live.v1.',
    description:
      'Authenticated before the upgrade: `Authorization: Bearer <API_TOKEN>`, or — browsers cannot set that header on a WebSocket — the subprotocol `bearer.<API_TOKEN>` offered next to `wyze-nvr.live.v1` ' +
      '(`new WebSocket(url, ["wyze-nvr.live.v1", "bearer." + token])`); the answer selects `wyze-nvr.live.v1`. Never put the token in the URL. ' +
      'The client sends `{"type":"hello","mimeTypes":[…]}` (the MP4 types MediaSource.isTypeSupported accepts); the server answers `{"type":"codecs","mime","video","audio","timeBaseUs"}` ' +
      '(decode time 0 is `timeBaseUs`, µs since the Unix epoch) or `{"type":"error","code":"unsupported-codec","message"}` and closes; then binary messages: the init segment (ftyp+moov), ' +
      'then one moof+mdat per camera frame, from the newest keyframe (the current GOP at once), then live. A viewer that falls behind gets `{"type":"skipped","frames":N}` and continues at the next keyframe; ' +
      'a codec or resolution change sends a new `codecs` message and init segment. The server pings every 10 s. A plain GET (no upgrade) is 426. The player module /live-player.js and the page /live.html use this.',
  })
  @ApiHeader({ name: 'Sec-WebSocket-Protocol', required: false, description: '`wyze-nvr.live.v1, bearer.<API_TOKEN>` (browsers), or `wyze-nvr.live.v1` with an Authorization header' })
  @ApiResponse({ status: 101, description: 'Switching Protocols: the live WebSocket' })
  @ApiResponse({ status: 400, description: 'validation-failed: a bad camera id, or subprotocols offered without wyze-nvr.live.v1' })
  @ApiResponse({ status: 401, description: 'unauthorized: no or wrong token (answered before any upgrade)' })
  @ApiResponse({ status: 404, description: 'camera-not-found' })
  @ApiResponse({ status: 426, description: 'upgrade-required: a plain GET' })
  @ApiResponse({ status: 429, description: 'too-many-viewers: the camera has its maximum of live viewers (RECORDER_LIVE_MAX_VIEWERS)' })
  @ApiResponse({ status: 502, description: 'recorder-unavailable: the camera’s recorder does not answer' })
  @ApiResponse({ status: 503, description: NOT_RECORDING })
  upgradeRequired(@Param('id', CameraIdPipe) _id: number): never {
    throw new DomainError('upgrade-required', 'the live view is a WebSocket: connect with Upgrade: websocket (or GET live.mp4 for one endless MP4)');
  }

  @Get('live.mp4')
  @ApiOperation({
    summary: 'Live view as one endless fragmented MP4 over chunked HTTP (ffmpeg, ffplay, VLC, Home Assistant).',
    description:
      'From the newest keyframe on, one fragment per frame: video as the camera sends it (H.264/H.265), AAC as it is, G.711/PCM as FLAC. A codec or resolution change ends the answer (request again). ' +
      'A reader that falls behind is skipped to the next keyframe.',
  })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'camera-not-found' })
  @ApiResponse({ status: 429, description: 'too-many-viewers' })
  @ApiResponse({ status: 502, description: 'recorder-unavailable' })
  @ApiResponse({ status: 503, description: NOT_RECORDING })
  async liveMp4(@Param('id', CameraIdPipe) id: number, @Res() res: Response): Promise<void> {
    const ac = clientGone(res);
    const unregister = this.sessions.add(() => ac.abort());
    try {
      const upstream = await this.live.get(id, 'live.mp4', '', {}, ac.signal);
      await relayAnswer(upstream, res, ['content-type', 'x-start-time'], { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    } catch (e) {
      if (!ac.signal.aborted) throw e;
    } finally {
      unregister();
    }
  }

  @Get('snapshot.jpg')
  @ApiOperation({
    summary: 'The camera’s newest keyframe as a JPEG, from its recorder (decoded once per keyframe and width).',
    description: 'ETag is the keyframe (and width); If-None-Match answers 304; Cache-Control: no-cache (a newer keyframe comes every few seconds). The keyframe time is in X-Keyframe-Time.',
  })
  @ApiProduces('image/jpeg')
  @ApiResponse({ status: 200, content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 304, description: 'The ETag in If-None-Match is current' })
  @ApiResponse({ status: 400, description: 'validation-failed: `width` is not 16..3840' })
  @ApiResponse({ status: 404, description: 'camera-not-found' })
  @ApiResponse({ status: 502, description: 'recorder-unavailable' })
  @ApiResponse({ status: 503, description: `${NOT_RECORDING}; no-keyframe-yet` })
  async snapshot(@Param('id', CameraIdPipe) id: number, @Query() q: PictureQuery, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const ac = clientGone(res);
    const upstream = await this.live.get(id, 'snapshot.jpg', q.width ? `?width=${q.width}` : '', ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}, ac.signal);
    await relayAnswer(upstream, res, ['content-type', 'content-length', 'etag', 'cache-control', 'x-keyframe-time']);
  }
}
