import { SecretBox } from '@wyze-nvr/config';
import { CameraEntity } from '@wyze-nvr/db';
import type { Logger } from '@wyze-nvr/log';
import type { DataSource, EntityManager } from 'typeorm';
import { classifyCamera, isCamera, type CameraSupport } from './camera-support';
import { normalizeMac, type WyzeDevice } from './wyze-device';

/** pg_advisory_xact_lock key: two imports (CLI and API job) never interleave their upserts. */
const IMPORT_LOCK = 0x77796369;

export type ImportAction = 'create' | 'update' | 'unchanged' | 'skip';

/** The columns an import writes. `enr` stands for `enr_encrypted` and is never shown. */
export type ImportedField = 'name' | 'uid' | 'ip' | 'model' | 'firmware' | 'enr' | 'enabled';

export interface FieldChange {
  field: ImportedField;
  /** Absent for a create and for the ENR. */
  from?: string | boolean | null;
  /** Absent for the ENR. */
  to?: string | boolean | null;
}

export interface ImportEntry {
  action: ImportAction;
  mac: string;
  /** The cloud nickname. */
  name: string;
  model: string;
  support: CameraSupport;
  /** Why untested or skipped. */
  reason?: string;
  /** The `cameras` row, when there is (or, after a real create, now is) one. */
  cameraId?: number;
  changes: FieldChange[];
}

export interface ImportPlan {
  dryRun: boolean;
  entries: ImportEntry[];
  counts: Record<ImportAction, number>;
  /** Devices of the account that are not cameras (plugs, locks…). */
  otherDevices: number;
}

export interface ImportProgress {
  done: number;
  total: number;
  entry: ImportEntry;
}

export interface ImportOptions {
  /** Compute the plan, write nothing. */
  dryRun?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

/** Where the device list comes from: the cloud client with a session, or a list in a test. */
export interface DeviceSource {
  listDevices(): Promise<WyzeDevice[]>;
}

export interface CameraImporterDeps {
  dataSource: DataSource;
  secretKey: Uint8Array;
  devices: DeviceSource;
  logger?: Logger;
}

type CameraRow = Pick<CameraEntity, 'id' | 'name' | 'uid' | 'enrEncrypted' | 'mac' | 'ip' | 'model' | 'firmware' | 'enabled'>;

/**
 * Brings `cameras` in line with the account's device list, matching rows by MAC:
 * - a new supported or untested camera is created, enabled, its ENR sealed with SecretBox;
 * - an existing one gets the cloud's uid, ip, model, firmware and ENR when they differ; its name,
 *   enabled flag, port and quality are the user's and are left alone;
 * - an unchanged one is not written at all, so its `updated_at` stays;
 * - an unsupported camera is skipped with the reason (the table has no column for it), and a row that
 *   already exists for it is left as it is;
 * - rows for cameras no longer in the account are left alone (footage may hang off them).
 */
export class CameraImporter {
  private readonly box: SecretBox;

  constructor(private readonly deps: CameraImporterDeps) {
    this.box = new SecretBox(deps.secretKey);
  }

  async import(opts: ImportOptions = {}): Promise<ImportPlan> {
    const dryRun = opts.dryRun ?? false;
    const devices = await this.deps.devices.listDevices();
    const cameras = devices.filter(isCamera);
    const plan: ImportPlan = { dryRun, entries: [], counts: { create: 0, update: 0, unchanged: 0, skip: 0 }, otherDevices: devices.length - cameras.length };

    await this.deps.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const rows: CameraRow[] = await manager.getRepository(CameraEntity).find({
        select: ['id', 'name', 'uid', 'enrEncrypted', 'mac', 'ip', 'model', 'firmware', 'enabled'],
      });
      const byMac = new Map(rows.map((r) => [normalizeMac(r.mac), r]));
      const seen = new Set<string>();

      for (const device of cameras) {
        const entry = seen.has(device.mac)
          ? skipped(device, 'listed twice by the cloud; the first entry was used')
          : await this.apply(manager, device, byMac.get(device.mac), dryRun);
        if (device.mac !== '') seen.add(device.mac);
        plan.entries.push(entry);
        plan.counts[entry.action]++;
        opts.onProgress?.({ done: plan.entries.length, total: cameras.length, entry });
      }
    });

    this.deps.logger?.info({ dryRun, counts: plan.counts, otherDevices: plan.otherDevices }, dryRun ? 'camera import planned (dry run)' : 'cameras imported');
    return plan;
  }

  private async apply(manager: EntityManager, d: WyzeDevice, row: CameraRow | undefined, dryRun: boolean): Promise<ImportEntry> {
    const c = classifyCamera(d);
    const base = { mac: d.mac, name: d.nickname, model: d.productModel, support: c.support, ...(c.reason ? { reason: c.reason } : {}) };
    if (c.support === 'unsupported') return { ...base, action: 'skip', changes: [], ...(row ? { cameraId: row.id } : {}) };

    if (!row) {
      const values = { name: d.nickname || d.mac, uid: d.uid, mac: d.mac, ip: d.ip, model: d.productModel, firmware: d.firmware, enabled: true };
      const changes: FieldChange[] = [
        ...(['name', 'uid', 'ip', 'model', 'firmware', 'enabled'] as const).map((field) => ({ field, to: values[field] })),
        { field: 'enr' },
      ];
      if (dryRun) return { ...base, action: 'create', changes };
      const inserted = await manager.getRepository(CameraEntity).insert({ ...values, enrEncrypted: this.box.encrypt(d.enr) });
      return { ...base, action: 'create', changes, cameraId: (inserted.identifiers[0] as { id: number }).id };
    }

    const changes: FieldChange[] = [];
    const patch: Partial<CameraEntity> = {};
    const compare = <K extends 'uid' | 'ip' | 'model' | 'firmware'>(field: K, to: CameraRow[K]) => {
      if (row[field] === to) return;
      changes.push({ field, from: row[field], to });
      patch[field] = to;
    };
    compare('uid', d.uid);
    compare('ip', d.ip);
    compare('model', d.productModel);
    compare('firmware', d.firmware);
    if (!this.sameEnr(row.enrEncrypted, d.enr)) {
      changes.push({ field: 'enr' });
      patch.enrEncrypted = this.box.encrypt(d.enr);
    }
    if (changes.length === 0) return { ...base, action: 'unchanged', changes, cameraId: row.id };
    if (!dryRun) await manager.getRepository(CameraEntity).update({ id: row.id }, patch);
    return { ...base, action: 'update', changes, cameraId: row.id };
  }

  /** A sealed ENR this key cannot open (SECRET_KEY changed) counts as different, so the import repairs it. */
  private sameEnr(sealed: string, enr: string): boolean {
    try {
      return this.box.decrypt(sealed) === enr;
    } catch {
      return false;
    }
  }
}

function skipped(d: WyzeDevice, reason: string): ImportEntry {
  return { action: 'skip', mac: d.mac, name: d.nickname, model: d.productModel, support: classifyCamera(d).support, reason, changes: [] };
}
