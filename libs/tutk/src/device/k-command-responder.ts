import type { HlMessage } from '../av/hl';
import { buildIoctrlFrame } from '../av/ioctrl';
import type { ParseDropCounter } from '../session/drops';
import type { DeviceCounters } from './device-types';
import { K_COMMAND_HANDLERS, type KCommandContext, type KCommandHandler } from './k-command-handlers';

/** IOCTRL replies kept for duplicate requests. */
const REPLY_CACHE = 64;
const NO_REPLY = new Uint8Array(0);

/**
 * One client session's IOCTRL answers (FACTS §8.5): dispatches each request to its handler and keeps the
 * reply frame, so a resend of the same request (same cmdSeq) gets the same bytes again.
 */
export class KCommandResponder {
  private readonly replies = new Map<number, Uint8Array>();
  private camSeq = 0;

  constructor(
    private readonly ctx: KCommandContext,
    private readonly counters: DeviceCounters,
    private readonly drops: ParseDropCounter,
    private readonly send: (frame: Uint8Array) => void,
    private readonly handlers: ReadonlyMap<number, KCommandHandler> = K_COMMAND_HANDLERS,
  ) {}

  handle(cmdSeq: number, hl: HlMessage): void {
    this.counters.ioctrlRequests++;
    const cached = this.replies.get(cmdSeq);
    if (cached) {
      this.counters.ioctrlDuplicates++;
      if (cached !== NO_REPLY) this.send(cached);
      return;
    }
    const handler = this.handlers.get(hl.cmd);
    if (!handler) {
      this.drops.count('hl', 'unknown-command');
      return;
    }
    const { reply, then } = handler(hl, this.ctx);
    // An unanswered request is remembered too (as no bytes), so a resend does not apply it twice.
    const frame = reply ? buildIoctrlFrame({ avSeq: this.camSeq++, cmdSeq, hl: reply, from: 'camera' }) : NO_REPLY;
    this.replies.set(cmdSeq, frame);
    if (this.replies.size > REPLY_CACHE) this.replies.delete(this.replies.keys().next().value!);
    if (reply) this.send(frame);
    then?.();
  }
}
