import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from '@wyze-nvr/config';
import { NestPinoLogger } from '@wyze-nvr/log';
import { createApiApp } from '../../../api/src/api.app';
import { recorderSettingsOrReport } from '../../../recorder/src/record.command';
import { Recorder } from '../../../recorder/src/recorder';
import { type Command, loadConfigOrReport, openRuntime, untilSignal } from '@wyze-nvr/runtime';
import { DEMO_CAMERA_NAME, startDemoCamera } from '../demo-camera';

const TOKEN_FILE = 'api-token';

/** The demo's API token: API_TOKEN when set, else one generated once and kept under DATA_DIR (mode 0600). */
function demoToken(dataDir: string, env: Record<string, string | undefined>): string {
  if (env.API_TOKEN) return env.API_TOKEN;
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'an emulated camera, the recorder and the API in one process on the embedded defaults (PGlite, in-process jobs); prints the API URL and token',
  usage: '[--no-camera]',
  options: { 'no-camera': { type: 'boolean' } },
  async run(values) {
    const base = loadConfigOrReport('demo', process.env);
    if (!base) return 1;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(base.dataDir, { recursive: true });
    const config = loadConfigOrReport('demo', { ...process.env, API_TOKEN: demoToken(base.dataDir, process.env) }, ['API_TOKEN']);
    if (!config) return 1;
    // The recorder's variables (MQTT_URL among them) are checked before anything starts, like record's.
    const settings = recorderSettingsOrReport(process.env, 'demo');
    if (!settings) return 1;
    // Listen from the start: before a listener exists the OS kills the process on SIGTERM (no clean stop), and
    // a SIGTERM during start-up now stops it cleanly once started.
    const stopped = untilSignal();
    const rt = await openRuntime('demo', config);
    const demoCamera = values['no-camera'] ? undefined : await startDemoCamera(config.dataDir, rt.dataSource, rt.secretKey);
    const recorder = new Recorder({ config, secretKey: rt.secretKey, dataSource: rt.dataSource, logger: rt.logger.child({ component: 'recorder' }), settings });
    await recorder.start();
    const app = await createApiApp(
      { config, dataSource: rt.dataSource, secretKey: rt.secretKey, logger: rt.logger.child({ component: 'api' }) },
      new NestPinoLogger(rt.logger.child({ component: 'api' })),
    );
    await app.listen(config.apiPort, config.apiHost);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    // The segment list needs from and to; a window from ten minutes ago to an hour ahead lists what the
    // demo records while someone tries it, and the command can be pasted as it is.
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const to = new Date(Date.now() + 60 * 60_000).toISOString();
    const tryCommand = (cameraId: number) => `curl -H 'Authorization: Bearer ${config.apiToken}' '${url}/cameras/${cameraId}/recordings?from=${from}&to=${to}'`;
    // The user-facing summary goes to stderr so stdout stays pure JSON log lines.
    process.stderr.write(
      [
        '',
        `wyze-nvr demo is running`,
        `  web app:    ${url}/   (in a browser; sign in with the API token)`,
        `  API:        ${url}   (OpenAPI: ${url}/api/docs)`,
        `  API token:  ${config.apiToken}   (kept in ${join(config.dataDir, TOKEN_FILE)} unless API_TOKEN is set)`,
        `  data:       ${config.dataDir}`,
        `  recordings: ${config.recordingsDir}`,
        ...(demoCamera
          ? [
              `  camera:     #${demoCamera.cameraId} ${DEMO_CAMERA_NAME} on 127.0.0.1:${demoCamera.sim.port}`,
              `  live:       ${url}/live.html?camera=${demoCamera.cameraId}   (standalone page; it asks for the token once)`,
              `  try:        ${tryCommand(demoCamera.cameraId)}`,
            ]
          : []),
        '  Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    await stopped;
    await app.close();
    await recorder.stop();
    await demoCamera?.sim.close();
    await rt.close();
    return 0;
  },
};
