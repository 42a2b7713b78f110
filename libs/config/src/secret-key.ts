import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.error';

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet; 32 bytes encode to 43 characters plus one optional pad.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Decodes a 32-byte key written as 64 hex characters or as base64 (standard or URL-safe); undefined when malformed. */
export function parseSecretKey(text: string): Uint8Array | undefined {
  const s = text.trim();
  if (HEX_KEY.test(s)) return new Uint8Array(Buffer.from(s, 'hex'));
  if (BASE64_KEY.test(s)) {
    const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === SECRET_KEY_BYTES) return new Uint8Array(bytes);
  }
  return undefined;
}

export function generateSecretKey(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_KEY_BYTES));
}

/** A bearer token for API_TOKEN: 24 random bytes, base64url (32 characters). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

export interface StoredSecretKey {
  key: Uint8Array;
  path: string;
  created: boolean;
}

/**
 * Reads `<dataDir>/secret.key`, creating it (hex, mode 0600) when absent. For the embedded setup where
 * no SECRET_KEY is given: losing this file makes every stored ENR and cloud token unreadable.
 */
export function loadOrCreateSecretKey(dataDir: string): StoredSecretKey {
  const path = join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const created = createExclusively(path, `${Buffer.from(generateSecretKey()).toString('hex')}\n`);

  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      throw new ConfigError([
        { variable: 'SECRET_KEY', message: `${path} is readable by group or others (mode ${mode.toString(8)}); run chmod 600 on it` },
      ]);
    }
  }
  const key = parseSecretKey(readFileSync(path, 'utf8'));
  if (!key) {
    throw new ConfigError([{ variable: 'SECRET_KEY', message: `${path} does not hold 32 bytes as 64 hex characters or base64` }]);
  }
  return { key, path, created };
}

/**
 * Writes through a temporary file and a hard link so that a second process starting at the same time
 * either wins the link or reads the complete file, never a half-written one.
 */
function createExclusively(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** SECRET_KEY when given, otherwise the key persisted under DATA_DIR (created on first start). */
export function resolveSecretKey(cfg: { secretKey: Uint8Array | undefined; dataDir: string }): Uint8Array {
  return cfg.secretKey ?? loadOrCreateSecretKey(cfg.dataDir).key;
}
