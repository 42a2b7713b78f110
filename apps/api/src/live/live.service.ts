import { Injectable } from '@nestjs/common';
import type { CameraStatusEntity } from '@wyze-nvr/db';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { cameraStatus, STATUS_STALE_US } from '../cameras/cameras.service';
import { DomainError, ERROR_STATUS, type ErrorCode } from '../common/domain.error';
import { CameraRepository } from '../repositories/camera.repository';
import { ClockRepository } from '../repositories/clock.repository';
import { RecorderLinkRepository, RecorderUnreachableError, type UpgradeOutcome } from '../repositories/recorder-link.repository';
import { RecordingRepository } from '../repositories/recording.repository';

/** Recorder states in which frames flow (degraded: the disk fails, the camera does not). */
const LIVE_STATES = new Set(['recording', 'degraded']);
/** Refusals of the recorder that are the client's answer as they are (with the recorder's body). */
const PASSED_THROUGH = new Set([400, 429, 503]);
const MAX_ERROR_BODY = 16 << 10;

/** The recorder's plain HTTP routes of a camera (the WebSocket is `upgrade`). */
export type RecorderRoute = 'live.mp4' | 'snapshot.jpg';

async function readBody(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    text += String(chunk);
    if (text.length > MAX_ERROR_BODY) {
      res.destroy();
      break;
    }
  }
  return text;
}

/**
 * Live view and snapshots: which recorder records a camera (its status row: `recorder_url`, fresh, in a
 * state where frames flow) and the requests to it. The API answers 404 and 503 itself from the database;
 * the recorder's own 503 and 429 reach the client with its body; a recorder that cannot be reached, or
 * refuses the API's internal token, is a 502.
 */
@Injectable()
export class LiveService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly recordings: RecordingRepository,
    private readonly clock: ClockRepository,
    private readonly link: RecorderLinkRepository,
  ) {}

  /** The internal base URL of the recorder that records the camera now; 404 or 503 otherwise. */
  async recorderOf(cameraId: number): Promise<string> {
    const camera = await this.cameras.get(cameraId);
    if (!camera) throw new DomainError('camera-not-found', `camera ${cameraId} not found`);
    const [row] = await this.cameras.statuses([cameraId]);
    const now = this.clock.nowUs();
    if (row && now - row.updatedAt.getTime() * 1000 <= STATUS_STALE_US && LIVE_STATES.has(row.state) && row.recorderUrl) return row.recorderUrl;
    const [latest, gaps] = await Promise.all([this.recordings.latestSegments([cameraId]), this.recordings.openGaps([cameraId])]);
    const status = cameraStatus(camera, now, row, latest.get(cameraId), gaps.get(cameraId));
    const reason = status.reason ?? notRecordingReason(status.state, row);
    throw new DomainError('camera-not-recording', `camera ${cameraId} is not recording (${status.state}): no live view`, { state: status.state, reason });
  }

  /** GET of a recorder route: its 200/304 answer, body unread; anything else thrown as the client's answer. */
  async get(cameraId: number, route: RecorderRoute, query: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
    const base = await this.recorderOf(cameraId);
    const res = await this.reach(() => this.link.get(base, `internal/cameras/${cameraId}/${route}${query}`, headers, signal));
    if (res.statusCode === 200 || res.statusCode === 304) return res;
    throw await this.refusal(cameraId, res);
  }

  /** Forwards a WebSocket handshake to the camera's recorder: the upgraded connection, or the client's answer thrown. */
  async upgrade(cameraId: number, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<Extract<UpgradeOutcome, { kind: 'upgraded' }>> {
    const base = await this.recorderOf(cameraId);
    const outcome = await this.reach(() => this.link.upgrade(base, `internal/cameras/${cameraId}/live`, headers, signal));
    if (outcome.kind === 'upgraded') return outcome;
    throw await this.refusal(cameraId, outcome.response);
  }

  /** `call` to a recorder; one that cannot be reached is the client's 502. */
  async reach<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof RecorderUnreachableError) throw new DomainError('recorder-unavailable', `the recorder of this camera does not answer (${e.message})`);
      throw e;
    }
  }

  /** The client's answer to a recorder's refusal. */
  private async refusal(cameraId: number, res: IncomingMessage): Promise<DomainError> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(res));
    } catch {
      // not JSON: answered as a 502 below
    }
    return recorderRefusal(cameraId, res.statusCode ?? 0, body, (_code, status) => PASSED_THROUGH.has(status));
  }
}

/**
 * The client's answer to a recorder's refusal (`status`, its JSON `body`). The recorder's own errors whose code
 * the API knows with the same status, and that `passes` lets through, reach the client as they are (with their
 * details); a 404 means the status row named a recorder that no longer records the camera; 401 a SECRET_KEY
 * mismatch; anything else is a 502.
 */
export function recorderRefusal(cameraId: number, status: number, body: unknown, passes: (code: ErrorCode, status: number) => boolean): DomainError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; [k: string]: unknown };
  const code = typeof b.code === 'string' ? b.code : '';
  if (code in ERROR_STATUS && ERROR_STATUS[code as ErrorCode] === status && passes(code as ErrorCode, status)) {
    const { statusCode: _s, code: _c, message, ...details } = b;
    return new DomainError(code as ErrorCode, typeof message === 'string' ? message : code, details);
  }
  if (status === 404) {
    // The status row named a recorder that no longer records the camera (moved, or just stopped it).
    return new DomainError('camera-not-recording', `camera ${cameraId} is not recorded by the recorder its status names`, { state: 'stale', reason: 'its recorder does not record it now' });
  }
  if (status === 401) return new DomainError('recorder-unavailable', 'the recorder refused the API’s internal token: give the API and the recorder the same SECRET_KEY');
  return new DomainError('recorder-unavailable', `the recorder answered ${status}`);
}

function notRecordingReason(state: string, row: CameraStatusEntity | undefined): string {
  if (state === 'stale') return 'its recorder has not reported for over a minute';
  if (row && LIVE_STATES.has(row.state) && !row.recorderUrl) return 'its recorder does not serve live view (no internal URL in its status)';
  if (state === 'disabled') return 'the camera is disabled';
  if (!row) return 'no recorder records it';
  return `the recorder reports ${state}`;
}
