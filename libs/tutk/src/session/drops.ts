/** Dropped input counted by `layer:reason`, the labels TutkParseError carries (wire/parse-error.ts). */
export class ParseDropCounter {
  private readonly counts = new Map<string, number>();

  count(layer: string, reason: string): void {
    const key = `${layer}:${reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(layer: string, reason: string): number {
    return this.counts.get(`${layer}:${reason}`) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
