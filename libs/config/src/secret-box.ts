import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SECRET_KEY_BYTES } from './secret-key';

const VERSION = 'v1';
const NONCE_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs, random per message
const TAG_BYTES = 16;

export type SecretBoxErrorCode = 'MALFORMED' | 'UNSUPPORTED_VERSION' | 'AUTH_FAILED';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Encrypts short secrets (ENRs, cloud tokens) for storage with AES-256-GCM under SECRET_KEY.
 * Output: `v1:<base64(nonce ‖ ciphertext ‖ tag)>`. An optional context (e.g. the camera id) is bound as
 * associated data, so a ciphertext copied onto another row does not decrypt there.
 */
export class SecretBox {
  private readonly key: KeyObject;

  constructor(key: Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`SecretBox key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.key = createSecretKey(Buffer.from(key));
  }

  encrypt(plaintext: string, context?: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')}`;
  }

  /** Throws SecretBoxError: AUTH_FAILED for a wrong key, wrong context or altered bytes. */
  decrypt(sealed: string, context?: string): string {
    const colon = sealed.indexOf(':');
    if (colon < 0) throw new SecretBoxError('MALFORMED', 'sealed secret has no version prefix');
    const version = sealed.slice(0, colon);
    if (version !== VERSION) throw new SecretBoxError('UNSUPPORTED_VERSION', `unsupported sealed secret version ${JSON.stringify(version.slice(0, 8))}`);
    const payload = sealed.slice(colon + 1);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw new SecretBoxError('MALFORMED', 'sealed secret is not base64');
    const bytes = Buffer.from(payload, 'base64');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('MALFORMED', 'sealed secret is too short');

    const nonce = bytes.subarray(0, NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('AUTH_FAILED', 'sealed secret failed authentication (wrong SECRET_KEY, wrong context, or altered)');
    }
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}:`);
  }
}

function associatedData(context: string | undefined): Buffer {
  // The version is authenticated too, so a future format cannot be confused with this one.
  return Buffer.from(context === undefined ? `wyze-nvr:${VERSION}` : `wyze-nvr:${VERSION}\0${context}`, 'utf8');
}
