// The keyframe gate: a P-frame is only decodable if every video frame back to the last keyframe was, so
// after a real loss (and at the start) P-frames are withheld until the next keyframe. Fed video frames in
// frame order, as the reorder buffer passes them: a frame merely late is not a loss.

/** What the gate does with a video frame passed in order. */
export type GateVerdict =
  /** Deliver it. */
  | 'deliver'
  /** Deliver it: a keyframe after a loss, so the footage has a hole just before it. */
  | 'resume'
  /** Withhold it: no keyframe yet since the start. */
  | 'await-start'
  /** Withhold it: a picture it may reference was lost. */
  | 'await-loss';

export class KeyframeGate {
  /** No usable reference picture: at the start, and after a loss until a keyframe. */
  private awaiting = true;
  /** Video was lost since the last frame delivered. */
  private lossSinceDelivery = false;
  /** A frame was delivered: from here on a loss makes a hole in the footage. */
  private delivered = false;

  /** `enabled: false` passes every frame, as go2rtc does. */
  constructor(readonly enabled: boolean) {}

  /**
   * A complete frame passed in order. `gap` says a frame between it and the previous one passed is
   * missing (the header's previous frame number does not link them, FACTS §10.2).
   */
  admit(keyframe: boolean, gap: boolean): GateVerdict {
    if (!this.enabled) return 'deliver';
    if (gap) this.lossSinceDelivery = true;
    if (keyframe) {
      const resumed = this.lossSinceDelivery && this.delivered;
      this.awaiting = false;
      this.lossSinceDelivery = false;
      this.delivered = true;
      return resumed ? 'resume' : 'deliver';
    }
    if (gap || this.awaiting) {
      this.awaiting = true;
      return this.delivered ? 'await-loss' : 'await-start';
    }
    return 'deliver';
  }

  /**
   * A frame passed in order was lost (whatever follows may reference it), or the camera started its
   * numbering again (nothing before can be referenced).
   */
  referenceLost(): void {
    this.awaiting = true;
    this.lossSinceDelivery = true;
  }
}
