import type { Logger } from '@wyze-nvr/log';
import { Client } from 'pg';
import type { CameraChangeFeed } from './camera-sync';

/** The channel the cameras table's trigger notifies (migration CamerasChanged1795618400000). */
export const CAMERAS_CHANGED_CHANNEL = 'cameras_changed';

const RECONNECT_MS = 5000;

/**
 * LISTEN cameras_changed on a connection of its own (a pooled one would be handed back and lose it). A lost
 * connection is opened again after a few seconds and then reports one change, since notifications sent
 * meanwhile are gone.
 */
export class PgCameraChangeFeed implements CameraChangeFeed {
  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async listen(onChange: () => void): Promise<{ close(): Promise<void> }> {
    let client: Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const open = async (): Promise<void> => {
      const c = new Client({ connectionString: this.databaseUrl });
      c.on('notification', (n) => n.channel === CAMERAS_CHANGED_CHANNEL && onChange());
      c.on('error', (e) => {
        this.logger.warn({ err: e.message }, 'camera change LISTEN connection lost; reconnecting');
        void c.end().catch(() => undefined);
        if (client === c) client = undefined;
        reconnect();
      });
      await c.connect();
      await c.query(`LISTEN ${CAMERAS_CHANGED_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      client = c;
    };
    const reconnect = (): void => {
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        open().then(onChange, (e: unknown) => {
          this.logger.debug({ err: e instanceof Error ? e.message : String(e) }, 'camera change LISTEN reconnect failed');
          reconnect();
        });
      }, RECONNECT_MS);
      retry.unref();
    };
    await open();
    return {
      close: async () => {
        closed = true;
        clearTimeout(retry);
        await client?.end().catch(() => undefined);
      },
    };
  }
}
