import { signIn, openApp } from '../../test/support/web-app';
import { percentile, type Measurement, type WebBenchContext } from './measurement';

const CAMERAS = 40;
const RUNS = 7;

/**
 * The live grid with 40 cameras (seeded rows, no recorder behind them): a page load (cookie session
 * already there) until all 40 tiles show their state, and until every tile's picture request is answered.
 */
export async function gridLoad(ctx: WebBenchContext): Promise<Measurement[]> {
  const demo = await ctx.demo({ camera: false });
  await demo.query(
    `INSERT INTO cameras (name, uid, enr_encrypted, mac, model, enabled)
     SELECT 'bench camera ' || n, 'BENCH' || lpad(n::text, 15, '0'), 'v1:AAAA', '2CAA8F' || lpad(to_hex(n), 6, '0'), 'WYZE_CAKP2JFUS', false
     FROM generate_series(1, ${CAMERAS}) AS n`,
  );
  const browser = await ctx.browser();
  const { page, context } = await openApp(browser);
  await page.goto(`${demo.url}/`);
  await signIn(page, demo.token);
  const tiles: number[] = [];
  const pictures: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let answered = 0;
    const onResponse = (r: { url(): string }) => r.url().includes('/snapshot.jpg') && answered++;
    page.on('response', onResponse);
    await page.reload({ waitUntil: 'commit' });
    // A function, not a string: the app's CSP refuses eval.
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('li.tile').length === n, CAMERAS, { polling: 'raf', timeout: 30_000 });
    tiles.push((await page.evaluate('performance.now()')) as number);
    const waited = Date.now();
    while (answered < CAMERAS && Date.now() - waited < 30_000) await new Promise((r) => setTimeout(r, 5));
    pictures.push((await page.evaluate('performance.now()')) as number);
    page.off('response', onResponse);
  }
  await context.close();
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  const round = (n: number) => Math.round(n);
  return [
    { name: `grid of ${CAMERAS} cameras: load → every tile with its state, p50`, value: round(percentile(sort(tiles), 50)), unit: 'ms', note: `${RUNS} reloads, from navigation start; max ${round(Math.max(...tiles))} ms` },
    { name: `grid of ${CAMERAS} cameras: load → every picture request answered, p50`, value: round(percentile(sort(pictures), 50)), unit: 'ms', note: `max ${round(Math.max(...pictures))} ms` },
  ];
}
