import type { HlMessage } from './hl';

/**
 * One K-command to send and what to make of its answer (FACTS §8.5, §9): the HL message, the reply command
 * it waits for and how to read that reply, or — for the commands a camera never answers (K11000) — the
 * result to report once it is sent.
 */
export type KRequest<T> =
  | { readonly hl: Uint8Array; readonly reply: number; parse(reply: HlMessage): T }
  | { readonly hl: Uint8Array; readonly reply: undefined; readonly sent: T };
