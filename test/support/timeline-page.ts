// The camera page's timeline and player as a browser test sees them: where the canvas is and which window
// it shows (its slider attributes), x of a time, and the player's state (video element, playing clock).
import type { Page } from 'playwright-core';

export interface TimelineGeometry {
  left: number;
  top: number;
  width: number;
  fromMs: number;
  toMs: number;
}

/** The y of the coverage bar inside the canvas (draw-timeline FULL_LAYOUT: ticks 18 + events 10, bar 26). */
export const BAR_Y = 41;

export async function timelineGeometry(page: Page): Promise<TimelineGeometry> {
  const canvas = page.getByRole('slider', { name: /^Timeline of / });
  const box = (await canvas.boundingBox())!;
  const [min, max] = await Promise.all([canvas.getAttribute('aria-valuemin'), canvas.getAttribute('aria-valuemax')]);
  return { left: box.x, top: box.y, width: box.width, fromMs: Number(min), toMs: Number(max) };
}

export function xOf(g: TimelineGeometry, ms: number): number {
  return ((ms - g.fromMs) / (g.toMs - g.fromMs)) * g.width;
}

export function timeAt(g: TimelineGeometry, x: number): number {
  return g.fromMs + (x / g.width) * (g.toMs - g.fromMs);
}

/** Waits until the (first) timeline is drawn at its current width (after a viewport change: a screenshot at phone width). */
export async function drawnAtWidth(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const c = (globalThis as unknown as { document: { querySelector(s: string): { dataset: Record<string, string>; getBoundingClientRect(): { width: number } } | null } }).document.querySelector('canvas.timeline-canvas');
      return !!c && Math.abs(Number(c.dataset.drawnWidth) - c.getBoundingClientRect().width) < 0.5;
    },
    undefined,
    { polling: 'raf', timeout: 10_000 },
  );
}

/** Waits until the canvas has drawn the data of its current window. */
export async function timelineReady(page: Page): Promise<void> {
  await page.locator('canvas.timeline-canvas[data-ready="true"]').first().waitFor({ timeout: 30_000 });
}

/** The canvas pixel (CSS px inside the canvas) as [r, g, b]. */
export async function canvasPixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return (await page.evaluate(`(() => {
    const c = document.querySelector('canvas.timeline-canvas');
    const k = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.round(${x} * k), Math.round(${y} * k), 1, 1).data;
    return [d[0], d[1], d[2]];
  })()`)) as [number, number, number];
}

export interface PlaybackState {
  currentTime: number;
  paused: boolean;
  readyState: number;
  /** The playing clock's wall time (epoch ms), null before anything plays. */
  wallMs: number | null;
  state: string;
  /** `waiting` events counted since countWaits() (stalls for lack of data). */
  waits: number;
  notice: string;
  seekMs: number | null;
}

export function playbackState(page: Page): Promise<PlaybackState> {
  return page.evaluate(`(() => {
    const v = document.querySelector('video.playback-video');
    const clock = document.getElementById('playback-clock');
    const n = document.querySelector('.playback-notice');
    return {
      currentTime: v.currentTime, paused: v.paused, readyState: v.readyState,
      wallMs: clock && clock.dataset.wallMs ? Number(clock.dataset.wallMs) : null,
      state: v.dataset.state, waits: globalThis.__waits ?? 0, notice: n ? n.textContent : '',
      seekMs: v.dataset.seekMs ? Number(v.dataset.seekMs) : null,
    };
  })()`) as Promise<PlaybackState>;
}

/** Starts counting the video's `waiting` events (from zero). */
export async function countWaits(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    globalThis.__waits = 0;
    if (!globalThis.__counting) {
      globalThis.__counting = true;
      document.querySelector('video.playback-video').addEventListener('waiting', () => globalThis.__waits++);
    }
  })()`);
}
