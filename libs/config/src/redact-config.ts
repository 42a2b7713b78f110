import type { AppConfig } from './app-config';

export const REDACTED = '[redacted]';

export type RedactedConfig = { readonly [K in keyof AppConfig]: AppConfig[K] extends Uint8Array | undefined ? string | undefined : AppConfig[K] };

/** A copy of the configuration that is safe to log: token and key replaced, URL passwords replaced. */
export function redactConfig(cfg: AppConfig): RedactedConfig {
  return {
    ...cfg,
    databaseUrl: cfg.databaseUrl === undefined ? undefined : redactUrl(cfg.databaseUrl),
    redisUrl: cfg.redisUrl === undefined ? undefined : redactUrl(cfg.redisUrl),
    apiToken: cfg.apiToken === undefined ? undefined : REDACTED,
    secretKey: cfg.secretKey === undefined ? undefined : REDACTED,
  };
}

/**
 * Replaces the password in `scheme://user:password@host/...` and in `password=` query parameters.
 * Works on the raw text rather than through URL, whose setters would percent-encode the brackets.
 */
export function redactUrl(url: string): string {
  let out = url;
  const start = out.indexOf('://');
  if (start >= 0) {
    const authorityStart = start + 3;
    const rest = out.slice(authorityStart);
    const end = rest.search(/[/?#]/);
    const authority = end < 0 ? rest : rest.slice(0, end);
    // The last '@' ends the userinfo: an unencoded '@' inside a password must not leak the tail.
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) {
        const redacted = `${userinfo.slice(0, colon + 1)}${REDACTED}${authority.slice(at)}`;
        out = out.slice(0, authorityStart) + redacted + rest.slice(authority.length);
      }
    }
  }
  return out.replace(/([?&](?:password|pass|sslpassword)=)[^&#]*/gi, `$1${REDACTED}`);
}

/**
 * The secret strings this configuration holds, for the log's secret registry: the token, the key in
 * hex and base64, and URL passwords (raw and percent-decoded).
 */
export function configSecrets(cfg: AppConfig): string[] {
  const out: string[] = [];
  if (cfg.apiToken) out.push(cfg.apiToken);
  if (cfg.secretKey) {
    const key = Buffer.from(cfg.secretKey);
    out.push(key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url'));
  }
  for (const url of [cfg.databaseUrl, cfg.redisUrl]) {
    if (!url) continue;
    try {
      const password = new URL(url).password;
      if (password) out.push(password, decodeURIComponent(password));
    } catch {
      // loadConfig has already validated the URL; nothing to extract from one that does not parse.
    }
  }
  return [...new Set(out)];
}
