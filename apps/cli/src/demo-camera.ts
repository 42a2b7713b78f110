import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCredentials, startCameraSim, type CameraSim, type CameraSimCredentials } from '@wyze-nvr/camera-sim';
import { SecretBox } from '@wyze-nvr/config';
import { CameraEntity } from '@wyze-nvr/db';
import { registerSecret } from '@wyze-nvr/log';
import type { DataSource } from 'typeorm';

const CREDENTIALS_FILE = 'demo-camera.json';
export const DEMO_CAMERA_NAME = 'demo camera (emulated)';

/**
 * The embedded default's camera: an emulated Wyze camera on 127.0.0.1 streaming the committed test
 * fixture, registered in `cameras` like an imported one. Its credentials are made once and kept under
 * DATA_DIR so a restarted demo keeps recording the same camera row.
 */
export async function startDemoCamera(dataDir: string, dataSource: DataSource, secretKey: Uint8Array): Promise<{ sim: CameraSim; cameraId: number }> {
  const file = join(dataDir, CREDENTIALS_FILE);
  let credentials: CameraSimCredentials;
  if (existsSync(file)) {
    credentials = JSON.parse(readFileSync(file, 'utf8')) as CameraSimCredentials;
  } else {
    credentials = generateCredentials();
    writeFileSync(file, JSON.stringify(credentials) + '\n', { mode: 0o600 });
  }
  registerSecret(credentials.enr);
  const sim = await startCameraSim({ ...credentials, host: '127.0.0.1', port: 0, loop: true });
  const repo = dataSource.getRepository(CameraEntity);
  const existing = await repo.findOne({ where: { mac: credentials.mac } });
  const fields = {
    name: DEMO_CAMERA_NAME,
    uid: credentials.uid,
    enrEncrypted: new SecretBox(secretKey).encrypt(credentials.enr),
    mac: credentials.mac,
    ip: '127.0.0.1',
    port: sim.port,
    model: credentials.model,
    enabled: true,
  };
  const saved = existing ? await repo.save({ ...existing, ...fields }) : await repo.save(fields);
  return { sim, cameraId: saved.id };
}
