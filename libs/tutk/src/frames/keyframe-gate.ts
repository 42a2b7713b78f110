// The keyframe gate: a P-frame is only decodable if every video frame back to the last keyframe was, so
// after a real loss (and at the start) P-frames are withheld until the next keyframe. Fed video frames in
// frame order, as the reorder buffer passes them: a frame merely late is not a loss.

export class KeyframeGate {
  /** No usable reference picture: at the start, and after a loss until a keyframe. */
  private awaiting = true;

  /** `enabled: false` passes every frame, as go2rtc does. */
  constructor(readonly enabled: boolean) {}

  /**
   * A complete frame passed in order: whether it may be delivered. `gap` says a frame between it and the
   * previous one passed is missing (the header's previous frame number does not link them, FACTS §10.2).
   */
  admit(keyframe: boolean, gap: boolean): boolean {
    if (!this.enabled) return true;
    if (keyframe) {
      this.awaiting = false;
      return true;
    }
    if (gap || this.awaiting) {
      this.awaiting = true;
      return false;
    }
    return true;
  }

  /**
   * A frame passed in order was lost (whatever follows may reference it), or the camera started its
   * numbering again (nothing before can be referenced).
   */
  referenceLost(): void {
    this.awaiting = true;
  }
}
