import { Recorder } from '../../../recorder/src/recorder';
import type { Command } from '../command';
import { loadConfigOrReport, openRuntime, untilSignal } from '../runtime';

export const recordCommand: Command = {
  name: 'record',
  summary: 'run the recorder: one supervised session per enabled camera',
  async run() {
    const config = loadConfigOrReport('record', process.env);
    if (!config) return 1;
    const rt = await openRuntime('recorder', config);
    const recorder = new Recorder({ config, secretKey: rt.secretKey, dataSource: rt.dataSource, logger: rt.logger });
    await recorder.start();
    await untilSignal();
    await recorder.stop();
    await rt.close();
    return 0;
  },
};
