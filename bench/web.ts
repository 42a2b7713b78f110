// bench:web — the web app's figures, each from a function in bench/web/ returning a list of measurements:
// bundle size (gzipped), the live grid's load with 40 cameras, the timeline's render time (7 days of one
// camera, a day of 40 cameras) and seek-to-first-frame of recorded playback. Add a measurement by writing its function
// (bench/web/<name>.ts, a MeasurementFn) and appending it to MEASUREMENTS; it gets a shared `demo` (on a
// fresh PostgreSQL database, to seed) and Chromium from the context.
//   npm run bench:web [-- --only bundle,grid]
// Needs PostgreSQL (TEST_DATABASE_URL or postgres@127.0.0.1) and /usr/bin/chromium. Timings are wall-clock
// on whatever else the machine is doing: quote them with the load they ran under.
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { startWebDemo, type WebDemo } from '../test/support/web-app';
import { bundleSize } from './web/bundle-size';
import { gridLoad } from './web/grid-load';
import { seekToFirstFrame } from './web/seek';
import { timelineRender } from './web/timeline-render';
import type { Measurement, MeasurementFn, WebBenchContext } from './web/measurement';

const MEASUREMENTS: { key: string; run: MeasurementFn }[] = [
  { key: 'bundle', run: bundleSize },
  { key: 'grid', run: gridLoad },
  { key: 'timeline', run: timelineRender },
  { key: 'seek', run: seekToFirstFrame },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only?.split(',').map((s) => s.trim());
  const demos: WebDemo[] = [];
  let browser: Browser | undefined;
  const ctx: WebBenchContext = {
    async demo(o) {
      const d = await startWebDemo({}, o);
      demos.push(d);
      return d;
    },
    async browser() {
      browser ??= await launchChromium();
      return browser;
    },
  };
  const results: Measurement[] = [];
  try {
    for (const m of MEASUREMENTS.filter((x) => !only || only.includes(x.key))) {
      const figures = await m.run(ctx);
      for (const f of figures) {
        results.push(f);
        process.stdout.write(`${f.name}: ${f.value} ${f.unit}${f.target ? ` (target ${f.target})` : ''}${f.note ? ` — ${f.note}` : ''}\n`);
      }
    }
  } finally {
    await browser?.close();
    for (const d of demos) await d.close();
  }
  process.stdout.write(`${JSON.stringify({ bench: 'web', results })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
