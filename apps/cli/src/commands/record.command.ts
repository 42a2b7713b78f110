import { Recorder } from '../../../recorder/src/recorder';
import { loadRecorderSettings, RecorderSettingsError } from '../../../recorder/src/recorder-env';
import type { Command } from '../command';
import { loadConfigOrReport, openRuntime, untilSignal } from '../runtime';

/** On demand, rows touched this recently by a running recorder are left to it. */
const ON_DEMAND_OPEN_GRACE_MS = 120_000;

export const recordCommand: Command = {
  name: 'record',
  summary: 'run the recorder: one supervised session per enabled camera (--reconcile: reconcile files and index, then exit)',
  usage: '[--reconcile]',
  options: { reconcile: { type: 'boolean' } },
  async run(values) {
    const config = loadConfigOrReport('record', process.env);
    if (!config) return 1;
    let settings;
    try {
      settings = loadRecorderSettings(process.env);
    } catch (e) {
      if (!(e instanceof RecorderSettingsError)) throw e;
      process.stderr.write(`wyze-nvr record: configuration error\n${e.variable}: ${e.message}\n`);
      return 1;
    }
    const rt = await openRuntime('recorder', config);
    const recorder = new Recorder({ config, secretKey: rt.secretKey, dataSource: rt.dataSource, logger: rt.logger, settings });
    if (values.reconcile) {
      await recorder.reconcile(ON_DEMAND_OPEN_GRACE_MS);
      await rt.close();
      return 0;
    }
    await recorder.start();
    await untilSignal();
    await recorder.stop();
    await rt.close();
    return 0;
  },
};
