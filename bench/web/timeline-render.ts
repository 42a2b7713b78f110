import { openApp, signIn } from '../../test/support/web-app';
import { percentile, type Measurement, type WebBenchContext } from './measurement';
import { seedTimelines } from './timeline-seed';

const RUNS = 7;
const CAMERAS = 40;
const DAY_MS = 86_400_000;

/** Zooms the camera page out from 3 days to 7 and waits for the 7-day window drawn with its data (ms). */
const ZOOM_TO_7_DAYS = `new Promise((resolve) => {
  const c = document.querySelector('canvas.timeline-canvas');
  const t0 = performance.now();
  document.querySelector('button[aria-label="Zoom out"]').click();
  const check = () => c.dataset.ready === 'true' && c.dataset.drawnSpan === String(7 * ${DAY_MS}) ? resolve(performance.now() - t0) : requestAnimationFrame(check);
  requestAnimationFrame(check);
})`;

/** Goes to the all-cameras timeline of a day and waits until every row is drawn with its data (ms). */
const OPEN_DAY = (day: string, rows: number) => `new Promise((resolve) => {
  const t0 = performance.now();
  location.hash = '#/timeline?day=${day}';
  const check = () => document.querySelectorAll('canvas.timeline-canvas[data-ready="true"]').length === ${rows} ? resolve(performance.now() - t0) : requestAnimationFrame(check);
  requestAnimationFrame(check);
})`;

/**
 * The timeline with seeded index rows (60 s segments, a gap every 3 h, an event every 40 min): one camera's
 * 7 days (zoom out from 3 days to 7: the fetch of the new window, its answer and the drawing), and 40
 * cameras' day on the all-cameras timeline (navigation to the page until all 40 rows are drawn with data).
 * A fresh page (empty cache) for each run.
 */
export async function timelineRender(ctx: WebBenchContext): Promise<Measurement[]> {
  const demo = await ctx.demo({ camera: false });
  const now = Date.now();
  const ids = await seedTimelines(demo, CAMERAS, 7, now * 1000);
  const browser = await ctx.browser();
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/#/exports`);
  await signIn(page, demo.token);
  const week: number[] = [];
  const draw7: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`${demo.url}/#/cameras/${ids[0]}`);
    await page.reload();
    await page.locator('canvas.timeline-canvas[data-ready="true"]').waitFor();
    for (let z = 0; z < 5; z++) {
      await page.getByRole('button', { name: 'Zoom out' }).click();
      await page.locator('canvas.timeline-canvas[data-ready="true"]').waitFor();
    }
    week.push((await page.evaluate(ZOOM_TO_7_DAYS)) as number);
    draw7.push(Number(await page.locator('canvas.timeline-canvas').getAttribute('data-draw-ms')));
  }
  const day = (await page.evaluate(`new Date(${now - DAY_MS / 2}).toLocaleDateString('sv')`)) as string;
  const forty: number[] = [];
  const draw40: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`${demo.url}/#/exports`);
    await page.reload();
    await page.getByRole('heading', { name: 'Exports' }).waitFor();
    forty.push((await page.evaluate(OPEN_DAY(day, CAMERAS))) as number);
    const each = (await page.evaluate(`[...document.querySelectorAll('canvas.timeline-canvas')].map((c) => Number(c.dataset.drawMs))`)) as number[];
    draw40.push(each.reduce((a, b) => a + b, 0));
  }
  await context.close();
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  const r = (n: number) => Math.round(n * 10) / 10;
  return [
    { name: 'timeline, 7 days of one camera: zoom out → drawn with data, p50', value: Math.round(percentile(sort(week), 50)), unit: 'ms', target: '≤ 300 ms', note: `${RUNS} runs, fresh page each; max ${Math.round(Math.max(...week))} ms; canvas drawing alone p50 ${r(percentile(sort(draw7), 50))} ms` },
    { name: `timeline, 1 day of ${CAMERAS} cameras: open the page → all rows drawn with data, p50`, value: Math.round(percentile(sort(forty), 50)), unit: 'ms', target: '≤ 300 ms', note: `${RUNS} runs, fresh page each; max ${Math.round(Math.max(...forty))} ms; canvas drawing of all rows p50 ${r(percentile(sort(draw40), 50))} ms` },
  ];
}
