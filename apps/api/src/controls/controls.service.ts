import { Injectable } from '@nestjs/common';
import { CONTROL_SPECS, isControlName } from '@wyze-nvr/tutk/controls';
import { DomainError, type ErrorCode } from '../common/domain.error';
import { LiveService, recorderRefusal } from '../live/live.service';
import { RecorderLinkRepository } from '../repositories/recorder-link.repository';
import type { ControlSetDto, ControlsDto } from './controls.dto';

/** The recorder answers a read of every control within a few seconds, a change within 4 s (its K-command timeout). */
const RECORDER_TIMEOUT_MS = 15_000;

/** The recorder's refusals that are the client's answer as they are. */
const PASSED: ReadonlySet<ErrorCode> = new Set([
  'validation-failed',
  'invalid-json',
  'payload-too-large',
  'control-not-found',
  'control-not-supported',
  'control-read-only',
  'camera-not-recording',
  'camera-no-answer',
  'camera-refused',
  'camera-bad-reply',
]);

/**
 * Camera controls: checked here (name and value, 404/400), then proxied to the recorder that holds the
 * camera's session (found as for the live view), which refuses what the model lacks (422) before sending.
 */
@Injectable()
export class ControlsService {
  constructor(
    private readonly live: LiveService,
    private readonly link: RecorderLinkRepository,
  ) {}

  async list(cameraId: number, signal: AbortSignal): Promise<ControlsDto> {
    return (await this.call(cameraId, 'GET', '', undefined, signal)) as ControlsDto;
  }

  async set(cameraId: number, name: string, value: unknown, signal: AbortSignal): Promise<ControlSetDto> {
    if (!isControlName(name)) throw DomainError.field('control-not-found', 'name', `no control named ${name}`);
    const checked = CONTROL_SPECS[name].check(value);
    if (!checked.ok) throw DomainError.field(name === 'video' ? 'control-read-only' : 'validation-failed', 'value', checked.reason);
    return (await this.call(cameraId, 'PUT', `/${name}`, { value }, signal)) as ControlSetDto;
  }

  private async call(cameraId: number, method: 'GET' | 'PUT', path: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    const base = await this.live.recorderOf(cameraId);
    const r = await this.live.reach(() => this.link.json(base, method, `internal/cameras/${cameraId}/controls${path}`, body, RECORDER_TIMEOUT_MS, signal));
    if (r.status === 200) return r.body;
    throw recorderRefusal(cameraId, r.status, r.body, (code) => PASSED.has(code));
  }
}
