import { SecretBox } from '@wyze-nvr/config';
import { CameraEntity } from '@wyze-nvr/db';
import { registerSecret, type Logger } from '@wyze-nvr/log';
import type { AppConfig } from '@wyze-nvr/config';
import type { DataSource } from 'typeorm';

export interface RecorderDeps {
  config: AppConfig;
  secretKey: Uint8Array;
  dataSource: DataSource;
  logger: Logger;
}

/** What a camera session needs to connect; the ENR is only ever held in memory, decrypted. */
export interface CameraCredentials {
  id: number;
  name: string;
  uid: string;
  enr: string;
  mac: string;
  ip: string | null;
  port: number | null;
}

/**
 * The recording process: one supervised session per enabled camera. Camera sessions, segmenting and
 * indexing are added by the recorder issue; today it loads and decrypts the camera list and reports it.
 */
export class Recorder {
  private cameras: CameraCredentials[] = [];
  private readonly box: SecretBox;

  constructor(private readonly deps: RecorderDeps) {
    this.box = new SecretBox(deps.secretKey);
  }

  async start(): Promise<void> {
    const rows = await this.deps.dataSource.getRepository(CameraEntity).find({ where: { enabled: true }, order: { id: 'ASC' } });
    this.cameras = [];
    for (const row of rows) {
      const log = this.deps.logger.child({ cameraId: row.id });
      let enr: string;
      try {
        enr = this.box.decrypt(row.enrEncrypted);
      } catch (e) {
        // A key that no longer decrypts means SECRET_KEY changed: the camera cannot be used until re-imported.
        log.error({ err: e }, 'camera key cannot be decrypted with SECRET_KEY; camera skipped');
        continue;
      }
      registerSecret(enr);
      const cam = { id: row.id, name: row.name, uid: row.uid, enr, mac: row.mac, ip: row.ip, port: row.port };
      log.debug({ camera: cam }, 'camera loaded');
      this.cameras.push(cam);
    }
    this.deps.logger.info({ cameras: this.cameras.map((c) => ({ id: c.id, name: c.name })) }, `recorder started with ${this.cameras.length} enabled camera(s)`);
  }

  async stop(): Promise<void> {
    this.deps.logger.info('recorder stopped');
  }
}
