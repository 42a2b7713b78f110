import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretBox, SecretBoxError } from '@wyze-nvr/config';
import { registerSecret } from '@wyze-nvr/log';
import { z } from 'zod';
import type { CloudTokens } from './wyze-cloud.client';
import { WyzeCloudError } from './wyze-cloud.error';

export const CLOUD_SESSION_FILE = 'cloud-session.json.enc';
/** SecretBox associated data: a sealed session cannot be passed off as an ENR, nor the reverse. */
const SESSION_CONTEXT = 'cloud-session';

export interface ImportSummary {
  /** ISO 8601. */
  at: string;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/** What is kept between runs. The password and API key are not: a new login asks for them again. */
export interface StoredCloudSession {
  email: string;
  tokens: CloudTokens;
  /** ISO 8601. */
  loggedInAt: string;
  /** ISO 8601; absent until the first refresh. */
  refreshedAt?: string;
  lastImport?: ImportSummary;
}

const summary = z.object({ at: z.string(), created: z.number(), updated: z.number(), unchanged: z.number(), skipped: z.number() });
const storedSession = z.object({
  version: z.literal(1),
  email: z.string(),
  tokens: z.object({ accessToken: z.string(), refreshToken: z.string(), userId: z.string(), phoneId: z.string() }),
  loggedInAt: z.string(),
  refreshedAt: z.string().optional(),
  lastImport: summary.optional(),
});

/** Where the session lives; a database table can replace the file later without the services noticing. */
export interface CloudSessionStore {
  load(): Promise<StoredCloudSession | undefined>;
  save(session: StoredCloudSession): Promise<void>;
  clear(): Promise<void>;
}

/**
 * `<DATA_DIR>/cloud-session.json.enc`: the session as JSON sealed with SecretBox under SECRET_KEY,
 * mode 0600, replaced atomically (temporary file, then rename).
 */
export class FileCloudSessionStore implements CloudSessionStore {
  readonly path: string;
  private readonly box: SecretBox;

  constructor(
    private readonly dataDir: string,
    secretKey: Uint8Array,
  ) {
    this.path = join(dataDir, CLOUD_SESSION_FILE);
    this.box = new SecretBox(secretKey);
  }

  /** Undefined when there is no file; `not-logged-in` when it cannot be opened with this key. */
  async load(): Promise<StoredCloudSession | undefined> {
    let sealed: string;
    try {
      sealed = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let json: string;
    try {
      json = this.box.decrypt(sealed.trim(), SESSION_CONTEXT);
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
      throw new WyzeCloudError('not-logged-in', `the saved Wyze session in ${this.path} cannot be opened with this SECRET_KEY; run \`wyze-nvr cloud login\` again`);
    }
    let parsed: z.infer<typeof storedSession>;
    try {
      parsed = storedSession.parse(JSON.parse(json));
    } catch {
      throw new WyzeCloudError('not-logged-in', `the saved Wyze session in ${this.path} is not readable; run \`wyze-nvr cloud login\` again`);
    }
    registerSecret(parsed.tokens.accessToken);
    registerSecret(parsed.tokens.refreshToken);
    const { version: _version, ...session } = parsed;
    return session;
  }

  async save(session: StoredCloudSession): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    const sealed = this.box.encrypt(JSON.stringify({ version: 1, ...session }), SESSION_CONTEXT);
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${sealed}\n`, { mode: 0o600, flag: 'wx' });
      await chmod(tmp, 0o600); // the umask cannot widen it, but an odd filesystem might
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async clear(): Promise<void> {
    await unlink(this.path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** A store in memory, for services under test. */
export class MemoryCloudSessionStore implements CloudSessionStore {
  session: StoredCloudSession | undefined;
  async load() {
    return this.session === undefined ? undefined : structuredClone(this.session);
  }
  async save(session: StoredCloudSession) {
    this.session = structuredClone(session);
  }
  async clear() {
    this.session = undefined;
  }
}
