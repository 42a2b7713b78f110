// Motion-detector evaluation: runs MotionDetector over the labelled fixture videos and prints event-level
// precision and recall per fixture, per encoding and overall.
//   scripts/make-motion-fixtures.sh                              (once: writes bench/media/motion/)
//   node -r ./scripts/register.js scripts/eval-motion.ts [--scores complexity|keyframes|both] [--fixtures a,b] [--verbose]
// An event matches a label when the two intervals overlap; precision = matched events / events,
// recall = matched labels / labels. Exits 1 when overall precision or recall is below 0.9, or when any
// event occurs on a fixture that has no motion in it (still scene, lighting change only).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MOTION_DETECTOR_OPTIONS, MotionDetector, keyframeThumbnailArgs, splitAccessUnits, type LumaPicture, type MotionCodec, type MotionDetectorEvent } from '@wyze-nvr/motion';

interface LabelObject {
  size: string;
  fromS: number;
  toS: number;
}
interface Fixture {
  name: string;
  scene: string;
  objects: LabelObject[];
}
interface Labels {
  width: number;
  height: number;
  fps: number;
  encodings: { name: string; codec: MotionCodec }[];
  fixtures: Fixture[];
}

const root = join(__dirname, '..');
const labels = JSON.parse(readFileSync(join(root, 'test/fixtures/motion/labels.json'), 'utf8')) as Labels;
const dir = process.env.MOTION_FIXTURES_DIR ?? join(root, 'bench/media/motion');
const args = process.argv.slice(2);
const useScores = (args.includes('--scores') ? args[args.indexOf('--scores') + 1] : 'both') as 'complexity' | 'keyframes' | 'both';
if (!['complexity', 'keyframes', 'both'].includes(useScores)) throw new Error(`--scores ${useScores}: complexity, keyframes or both`);
const verbose = args.includes('--verbose');
const only = args.includes('--fixtures') ? args[args.indexOf('--fixtures') + 1].split(',') : null;
const THUMB = { width: 160, height: 90 };

/** Keyframes decoded (only them: -skip_frame nokey) and scaled to a small grey thumbnail by ffmpeg. */
function keyframeThumbnails(file: string): LumaPicture[] {
  const args = keyframeThumbnailArgs(THUMB.width, THUMB.height);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-skip_frame', 'nokey', ...args.input, '-i', file, ...args.output, '-'], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr}`);
  const size = THUMB.width * THUMB.height;
  const out: LumaPicture[] = [];
  for (let o = 0; o + size <= r.stdout.length; o += size) out.push({ ...THUMB, luma: new Uint8Array(r.stdout.subarray(o, o + size)) });
  return out;
}

interface Result {
  fixture: Fixture;
  encoding: string;
  events: { startUs: number; endUs: number; peak: number; sources: string[] }[];
  labels: { fromUs: number; toUs: number; size: string }[];
  cpuUsPerFrame: number;
}

function run(fixture: Fixture, enc: { name: string; codec: MotionCodec }): Result {
  const file = join(dir, `${fixture.name}.${enc.name}.${enc.codec.slice(1)}`);
  if (!existsSync(file)) {
    console.error(`missing ${file}: run scripts/make-motion-fixtures.sh`);
    process.exit(2);
  }
  const units = splitAccessUnits(new Uint8Array(readFileSync(file)), enc.codec);
  const thumbs = useScores === 'complexity' ? [] : keyframeThumbnails(file);
  if (useScores !== 'complexity' && thumbs.length !== units.filter((u) => u.keyframe).length) {
    throw new Error(`${file}: ${thumbs.length} decoded keyframes for ${units.filter((u) => u.keyframe).length} keyframes`);
  }
  const complexityOff = { ...DEFAULT_MOTION_DETECTOR_OPTIONS.complexity, onLog2: Infinity, spreadFactor: 0 };
  const detector = new MotionDetector({
    keyframePictures: useScores !== 'complexity',
    ...(useScores === 'keyframes' ? { complexity: complexityOff } : {}),
  });
  const ends: MotionDetectorEvent[] = [];
  const collect = (events: MotionDetectorEvent[]) => {
    for (const e of events) if (e.type === 'end') ends.push(e);
  };
  let k = 0;
  const t0 = performance.now();
  units.forEach((u, i) => {
    const timeUs = Math.round((i * 1e6) / labels.fps);
    collect(detector.push({ timeUs, keyframe: u.keyframe, data: u.data, codec: enc.codec }));
    if (u.keyframe && useScores !== 'complexity') collect(detector.pushPicture(timeUs, thumbs[k++]));
  });
  for (const e of detector.flush()) if (e.type === 'end') ends.push(e);
  const cpuUsPerFrame = ((performance.now() - t0) * 1000) / units.length;
  return {
    fixture,
    encoding: enc.name,
    events: ends.map((e) => ({ startUs: e.type === 'end' ? e.startUs : 0, endUs: e.type === 'end' ? e.endUs : 0, peak: e.type === 'end' ? e.peakScore : 0, sources: e.type === 'end' ? e.sources : [] })),
    labels: fixture.objects.map((o) => ({ fromUs: o.fromS * 1e6, toUs: o.toS * 1e6, size: o.size })),
    cpuUsPerFrame,
  };
}

const overlaps = (a: { startUs: number; endUs: number }, b: { fromUs: number; toUs: number }) => a.startUs < b.toUs && b.fromUs < a.endUs;

interface Tally {
  events: number;
  matchedEvents: number;
  labels: number;
  matchedLabels: number;
}
const tally = (rs: Result[]): Tally =>
  rs.reduce(
    (t, r) => ({
      events: t.events + r.events.length,
      matchedEvents: t.matchedEvents + r.events.filter((e) => r.labels.some((l) => overlaps(e, l))).length,
      labels: t.labels + r.labels.length,
      matchedLabels: t.matchedLabels + r.labels.filter((l) => r.events.some((e) => overlaps(e, l))).length,
    }),
    { events: 0, matchedEvents: 0, labels: 0, matchedLabels: 0 },
  );
const precision = (t: Tally) => (t.events === 0 ? 1 : t.matchedEvents / t.events);
const recall = (t: Tally) => (t.labels === 0 ? 1 : t.matchedLabels / t.labels);
const fmt = (v: number) => v.toFixed(2);
const row = (name: string, t: Tally) =>
  `${name.padEnd(22)} ${String(t.events).padStart(6)} ${String(t.labels).padStart(6)} ${fmt(precision(t)).padStart(9)} ${fmt(recall(t)).padStart(6)}`;

const results: Result[] = [];
const fixtures = labels.fixtures.filter((f) => !only || only.includes(f.name));
for (const fixture of fixtures) for (const enc of labels.encodings) results.push(run(fixture, enc));

console.log(`scores: ${useScores}\n`);
console.log(`${'fixture / encoding'.padEnd(22)} ${'events'.padStart(6)} ${'labels'.padStart(6)} ${'precision'.padStart(9)} ${'recall'.padStart(6)}`);
for (const r of results) {
  console.log(row(`${r.fixture.name} ${r.encoding}`, tally([r])));
  if (verbose) {
    for (const e of r.events) console.log(`    event ${fmt(e.startUs / 1e6)}–${fmt(e.endUs / 1e6)} s peak ${fmt(e.peak)} ${e.sources.join('+')}${r.labels.some((l) => overlaps(e, l)) ? '' : '  FALSE'}`);
    for (const l of r.labels) if (!r.events.some((e) => overlaps(e, l))) console.log(`    missed ${l.size} ${fmt(l.fromUs / 1e6)}–${fmt(l.toUs / 1e6)} s`);
  }
}
console.log('');
for (const f of fixtures) console.log(row(`fixture ${f.name}`, tally(results.filter((r) => r.fixture === f))));
for (const e of labels.encodings) console.log(row(`encoding ${e.name}`, tally(results.filter((r) => r.encoding === e.name))));
const overall = tally(results);
console.log(row('overall', overall));

// Boundary error of matched labels: the first overlapping event's start, the last one's end.
const startErr: number[] = [];
const endErr: number[] = [];
for (const r of results) {
  for (const l of r.labels) {
    const hits = r.events.filter((e) => overlaps(e, l));
    if (!hits.length) continue;
    startErr.push((hits[0].startUs - l.fromUs) / 1e6);
    endErr.push((hits[hits.length - 1].endUs - l.toUs) / 1e6);
  }
}
const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1] : NaN);
const worst = (v: number[]) => v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
console.log(`\nboundaries of matched labels (event − label, s): start median ${fmt(median(startErr))} worst ${fmt(worst(startErr))}; end median ${fmt(median(endErr))} worst ${fmt(worst(endErr))}`);
const cpu = results.reduce((s, r) => s + r.cpuUsPerFrame, 0) / results.length;
console.log(`\ndetector CPU (this process, thumbnails decoded outside): ${cpu.toFixed(1)} µs/frame, ${((cpu * labels.fps) / 1000).toFixed(2)} ms per camera-second at ${labels.fps} fps`);

const quiet = results.filter((r) => r.fixture.objects.length === 0 && r.events.length > 0);
const failures: string[] = [];
if (precision(overall) < 0.9) failures.push(`overall precision ${fmt(precision(overall))} < 0.9`);
if (recall(overall) < 0.9) failures.push(`overall recall ${fmt(recall(overall))} < 0.9`);
for (const r of quiet) failures.push(`${r.events.length} event(s) on ${r.fixture.name} ${r.encoding}, which has no motion`);
if (failures.length) {
  console.log(`\nFAIL: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nPASS');
