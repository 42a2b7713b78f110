import type { HandshakeFragment } from './handshake';

export interface HandshakeMessage {
  msgType: number;
  messageSeq: number;
  body: Uint8Array;
}

interface Partial {
  msgType: number;
  body: Uint8Array;
  /** One byte per body byte; 1 once received. Handshake messages are small, so bytes beat interval lists for simplicity. */
  have: Uint8Array;
  missing: number;
}

/** Messages further ahead than this are dropped rather than buffered (bounds memory against a flood). */
const MAX_AHEAD = 8;

/**
 * Reassembles handshake fragments and hands messages out strictly in message_seq order (RFC 6347 §4.2.2):
 * fragments may arrive in any order, overlap or repeat.
 */
export class HandshakeReassembler {
  private readonly partial = new Map<number, Partial>();

  constructor(public nextSeq = 0) {}

  /** 'old' when the message was already delivered (a retransmission by the peer), else 'buffered' or 'dropped'. */
  add(f: HandshakeFragment): 'old' | 'buffered' | 'dropped' {
    if (f.messageSeq < this.nextSeq) return 'old';
    if (f.messageSeq > this.nextSeq + MAX_AHEAD) return 'dropped';
    let p = this.partial.get(f.messageSeq);
    if (!p) {
      p = { msgType: f.msgType, body: new Uint8Array(f.length), have: new Uint8Array(f.length), missing: f.length };
      this.partial.set(f.messageSeq, p);
    } else if (p.msgType !== f.msgType || p.body.length !== f.length) {
      return 'dropped';
    }
    if (p.missing === 0) return 'buffered';
    p.body.set(f.fragment, f.fragmentOffset);
    const end = f.fragmentOffset + f.fragment.length;
    for (let i = f.fragmentOffset; i < end; i++) {
      if (p.have[i] === 0) {
        p.have[i] = 1;
        p.missing--;
      }
    }
    return 'buffered';
  }

  /** The next complete message in order, if any. */
  next(): HandshakeMessage | undefined {
    const p = this.partial.get(this.nextSeq);
    if (!p || p.missing !== 0) return undefined;
    this.partial.delete(this.nextSeq);
    return { msgType: p.msgType, messageSeq: this.nextSeq++, body: p.body };
  }

  /** Forgets every partial message and expects `nextSeq` next (a HelloVerifyRequest restarts the numbering). */
  reset(nextSeq: number): void {
    this.partial.clear();
    this.nextSeq = nextSeq;
  }
}
