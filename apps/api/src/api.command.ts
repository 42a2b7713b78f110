import { NestPinoLogger } from '@wyze-nvr/log';
import { loadConfigOrReport, openRuntime, untilSignal, type Command } from '@wyze-nvr/runtime';
import { createApiApp } from './api.app';
import { redisPinger } from './redis-pinger';

/** The API process: `wyze-nvr api`, and the API app's own entry (main.ts). */
export const apiCommand: Command = {
  name: 'api',
  summary: 'serve the REST API (OpenAPI at /api/docs)',
  async run() {
    const config = loadConfigOrReport('api', process.env, ['API_TOKEN']);
    if (!config) return 1;
    // Listen from the start: before a listener exists the OS kills the process on SIGTERM (no clean stop), and
    // a SIGTERM during start-up now stops it cleanly once started.
    const stopped = untilSignal();
    const rt = await openRuntime('api', config);
    const redis = config.redisUrl ? redisPinger(config.redisUrl) : undefined;
    const app = await createApiApp(
      { config, dataSource: rt.dataSource, secretKey: rt.secretKey, logger: rt.logger, redisPing: redis?.ping },
      new NestPinoLogger(rt.logger),
    );
    await app.listen(config.apiPort, config.apiHost);
    rt.logger.info({ url: await app.getUrl() }, 'api listening');
    await stopped;
    await app.close();
    await redis?.close();
    await rt.close();
    return 0;
  },
};
