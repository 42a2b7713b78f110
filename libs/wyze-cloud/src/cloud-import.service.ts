import type { Logger } from '@wyze-nvr/log';
import type { DataSource } from 'typeorm';
import { CameraImporter, type ImportOptions, type ImportPlan } from './camera-importer';
import type { CloudSessionStore, ImportSummary } from './cloud-session.store';
import { StoredSessionHolder } from './stored-session.holder';
import type { WyzeCloudClient } from './wyze-cloud.client';
import { WyzeCloudError } from './wyze-cloud.error';

export interface CloudImportServiceDeps {
  dataSource: DataSource;
  secretKey: Uint8Array;
  client: WyzeCloudClient;
  sessions: CloudSessionStore;
  logger?: Logger;
  now?: () => number;
}

/** What `GET /cloud/status` shows. No token, no key. */
export interface CloudStatus {
  loggedIn: boolean;
  email?: string;
  userId?: string;
  /** ISO 8601. */
  loggedInAt?: string;
  /** ISO 8601. */
  refreshedAt?: string;
  lastImport?: ImportSummary;
  /** Why the saved session cannot be used, when there is one that cannot. */
  problem?: string;
}

/**
 * Imports the account's cameras with the saved session. Plain class with plain inputs and outputs so a
 * Nest controller, a job handler (`cloud-import`) and the CLI all call the same two methods.
 */
export class CloudImportService {
  private readonly now: () => number;

  constructor(private readonly deps: CloudImportServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Lists the devices (renewing the session once if it expired) and applies or plans the import. */
  async import(opts: ImportOptions = {}): Promise<ImportPlan> {
    const session = await this.deps.sessions.load();
    if (!session) throw new WyzeCloudError('not-logged-in', 'no Wyze session is saved; run `wyze-nvr cloud login` first');
    const holder = new StoredSessionHolder(session, this.deps.sessions, this.now);
    const importer = new CameraImporter({
      dataSource: this.deps.dataSource,
      secretKey: this.deps.secretKey,
      devices: { listDevices: () => this.deps.client.listDevices(holder) },
      logger: this.deps.logger,
    });
    const plan = await importer.import(opts);
    if (!plan.dryRun) {
      const { create, update, unchanged, skip } = plan.counts;
      await holder.update({ lastImport: { at: new Date(this.now()).toISOString(), created: create, updated: update, unchanged, skipped: skip } });
    }
    return plan;
  }

  async status(): Promise<CloudStatus> {
    return readCloudStatus(this.deps.sessions);
  }
}

/** The login state and last import, from the saved session alone (no database, no network). */
export async function readCloudStatus(sessions: CloudSessionStore): Promise<CloudStatus> {
  let session;
  try {
    session = await sessions.load();
  } catch (e) {
    if (e instanceof WyzeCloudError) return { loggedIn: false, problem: e.message };
    throw e;
  }
  if (!session) return { loggedIn: false };
  const { email, loggedInAt, refreshedAt, lastImport } = session;
  return { loggedIn: true, email, userId: session.tokens.userId, loggedInAt, ...(refreshedAt ? { refreshedAt } : {}), ...(lastImport ? { lastImport } : {}) };
}
