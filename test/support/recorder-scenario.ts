// The setup the recorder e2e specs share: a migrated database and a recordings directory, one emulated
// camera in front of them, and `wyze-nvr record` started on both and stopped with a clean exit.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureMediaOptions } from '../../apps/recorder/src/testing/fixture-media';
import type { CliProcess } from './cli';
import { emulatedCamera, recorderEnv, recorderTestEnv, startRecorder, type EmulatedCamera, type RecorderTestEnv } from './recorder-harness';

export interface RunningRecorder {
  proc: CliProcess;
  metricsUrl: string;
}

export interface RecorderScenario {
  /** Set once the `before` hook has run. */
  readonly env: RecorderTestEnv;
  readonly cam: EmulatedCamera;
  /** Runs before the camera and the database go, last registered first (a relay, an API, a database setting). */
  onClose(close: () => unknown): void;
  /** `wyze-nvr record` on the scenario's database and recordings, with these settings over the test defaults. */
  startRecorder(settings?: Record<string, string>): Promise<RunningRecorder>;
  /** Starts the recorder, runs `body`, then stops it with SIGTERM and asserts it exits 0 (showing its output if not). */
  withRecorder<T>(settings: Record<string, string>, body: (r: RunningRecorder) => Promise<T>): Promise<T>;
}

/** Registers the scenario's `before` and `after` hooks in the calling `describe`. */
export function recorderScenario(media: FixtureMediaOptions, camera: Parameters<typeof emulatedCamera>[2]): RecorderScenario {
  let env: RecorderTestEnv | undefined;
  let cam: EmulatedCamera | undefined;
  const closers: (() => unknown)[] = [];
  const scenario: RecorderScenario = {
    get env() {
      assert.ok(env, 'the scenario is set up in its before hook');
      return env;
    },
    get cam() {
      assert.ok(cam, 'the scenario is set up in its before hook');
      return cam;
    },
    onClose: (close) => closers.push(close),
    startRecorder: (settings = {}) => startRecorder(recorderEnv(scenario.env, scenario.env.db.url, settings)),
    async withRecorder(settings, body) {
      const r = await scenario.startRecorder(settings);
      try {
        return await body(r);
      } finally {
        assert.equal(await r.proc.stop('SIGTERM'), 0, r.proc.output.slice(-3000));
      }
    },
  };
  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(env, media, camera);
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    cam?.close();
    await env?.close();
  });
  return scenario;
}
