import { ConfigError, loadRecorderSettings, type RecorderSettings } from '@wyze-nvr/config';
import { loadConfigOrReport, openRuntime, untilSignal, type Command } from '@wyze-nvr/runtime';
import { Recorder } from './recorder';

/** On demand, rows touched this recently by a running recorder are left to it. */
const ON_DEMAND_OPEN_GRACE_MS = 120_000;

/** The recorder's settings, or undefined after telling stderr which variables are wrong (`command` names the caller). */
export function recorderSettingsOrReport(env: Record<string, string | undefined>, command = 'record'): RecorderSettings | undefined {
  try {
    return loadRecorderSettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`wyze-nvr ${command}: configuration error\n${e.message}\n`);
    return undefined;
  }
}

/** The recorder process: `wyze-nvr record`, and the recorder app's own entry (main.ts). */
export const recordCommand: Command = {
  name: 'record',
  summary: 'run the recorder: one supervised session per enabled camera (--reconcile: reconcile files and index, then exit)',
  usage: '[--reconcile]',
  options: { reconcile: { type: 'boolean' } },
  async run(values) {
    const config = loadConfigOrReport('record', process.env);
    if (!config) return 1;
    const settings = recorderSettingsOrReport(process.env);
    if (!settings) return 1;
    const rt = await openRuntime('recorder', config);
    const recorder = new Recorder({ config, secretKey: rt.secretKey, dataSource: rt.dataSource, logger: rt.logger, settings });
    if (values.reconcile) {
      await recorder.reconcile(ON_DEMAND_OPEN_GRACE_MS);
      await rt.close();
      return 0;
    }
    // Listen from the start: before a listener exists the OS kills the process on SIGTERM (no clean stop), and
    // a SIGTERM during start-up now stops it cleanly once started.
    const stopped = untilSignal();
    await recorder.start();
    await stopped;
    await recorder.stop();
    await rt.close();
    return 0;
  },
};
