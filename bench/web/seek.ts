import { openApp, signIn } from '../../test/support/web-app';
import { percentile, type Measurement, type WebBenchContext } from './measurement';

const SEEKS = 20;
/** Footage recorded before seeking (the demo's default 60 s segments). */
const FOOTAGE_S = 150;

/**
 * Seek to first frame in recorded playback: `demo` records its emulated camera for FOOTAGE_S, then the
 * camera page plays from 20 random times in it (the "jump to" form). Each figure is the player's own
 * measure: from seek() to the first frame at the new time presented (requestVideoFrameCallback), which
 * includes the video.mp4 request, its first fragments and MSE. A time already buffered is played without a
 * request; how many of the 20 needed one is in the note.
 */
export async function seekToFirstFrame(ctx: WebBenchContext): Promise<Measurement[]> {
  const demo = await ctx.demo();
  let first = 0;
  for (const deadline = Date.now() + (FOOTAGE_S + 120) * 1000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 2000))) {
    const [r] = await demo.query<{ from_us: string | null }>(`SELECT min(start_us) AS from_us FROM segments WHERE camera_id = $1`, [demo.cameraId]);
    if (r.from_us !== null) first = Number(r.from_us) / 1000;
    if (first && Date.now() - first >= FOOTAGE_S * 1000) break;
  }
  if (!first) throw new Error('the demo recorded nothing');
  const browser = await ctx.browser();
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/cameras/${demo.cameraId}`);
  await signIn(page, demo.token);
  let requests = 0;
  page.on('request', (r) => r.url().includes('/video.mp4') && requests++);
  const cold: number[] = [];
  const all: number[] = [];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const last = Date.now() - 10_000;
  for (let i = 0; i < SEEKS; i++) {
    const target = first + 2000 + random() * (last - first - 2000);
    const local = (await page.evaluate(`(() => { const d = new Date(${target}); const p = (n) => String(n).padStart(2, '0'); return d.toLocaleDateString('sv') + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()); })()`)) as string;
    await page.evaluate(`document.querySelector('video.playback-video').dataset.seekMs = ''`);
    const before = requests;
    await page.locator('#jump-at').fill(local);
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await page.locator('video.playback-video:not([data-seek-ms=""])').waitFor({ timeout: 30_000 });
    const ms = Number(await page.locator('video.playback-video').getAttribute('data-seek-ms'));
    all.push(ms);
    if (requests > before) cold.push(ms);
  }
  await context.close();
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  return [
    { name: `seek to first frame, ${SEEKS} random seeks, p50`, value: Math.round(percentile(sort(all), 50)), unit: 'ms', note: `${cold.length} of ${SEEKS} fetched (the rest were buffered); 60 s segments` },
    { name: `seek to first frame, ${SEEKS} random seeks, p95`, value: Math.round(percentile(sort(all), 95)), unit: 'ms', target: '≤ 500 ms', note: `max ${Math.round(Math.max(...all))} ms` },
    { name: 'seek to first frame, only the seeks that fetched, p50 / p95', value: Math.round(percentile(sort(cold), 50)), unit: 'ms', note: `p95 ${Math.round(percentile(sort(cold), 95))} ms over ${cold.length}` },
  ];
}
