import { revertAllMigrations } from '@wyze-nvr/db';
import { type Command, loadConfigOrReport, openRuntime } from '@wyze-nvr/runtime';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations (or revert them all with --revert)',
  usage: '[--revert]',
  options: { revert: { type: 'boolean' } },
  async run(values) {
    const config = loadConfigOrReport('migrate', process.env);
    if (!config) return 1;
    const rt = await openRuntime('migrate', config, { migrate: !values.revert });
    try {
      if (values.revert) {
        const n = await revertAllMigrations(rt.dataSource);
        rt.logger.info({ reverted: n }, 'migrations reverted');
      }
      return 0;
    } finally {
      await rt.close();
    }
  },
};
