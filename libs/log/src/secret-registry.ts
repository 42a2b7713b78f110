export const REDACTED = '[redacted]';

/** Shorter strings would match inside unrelated text and shred the logs. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Known secret strings (ENRs, tokens) that must never reach a log line, wherever they hide: a field,
 * a message, an error's stack. The log stream passes every serialized line through `redact`.
 */
export class SecretRegistry {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Returns false, registering nothing, for a value shorter than MIN_SECRET_LENGTH. */
  register(value: string): boolean {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return false;
    if (!this.secrets.has(value)) {
      this.secrets.add(value);
      this.pattern = undefined;
    }
    return true;
  }

  unregister(value: string): void {
    if (this.secrets.delete(value)) this.pattern = undefined;
  }

  has(value: string): boolean {
    return this.secrets.has(value);
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Replaces every occurrence of a registered secret in a serialized JSON line. */
  redact(line: string): string {
    if (this.secrets.size === 0) return line;
    this.pattern ??= this.compile();
    return line.replace(this.pattern, REDACTED);
  }

  private compile(): RegExp {
    const forms = new Set<string>();
    for (const secret of this.secrets) {
      // The line is JSON: a secret with quotes, backslashes or control characters appears escaped,
      // and escaped twice when it sat in a JSON text that was itself logged as a string.
      const once = JSON.stringify(secret).slice(1, -1);
      forms.add(once);
      forms.add(JSON.stringify(once).slice(1, -1));
    }
    // Longest first, so a secret that contains another is replaced whole.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    return new RegExp(alternatives.join('|'), 'g');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The process-wide registry every logger from createLogger uses unless given another. */
export const secretRegistry = new SecretRegistry();

export function registerSecret(value: string): boolean {
  return secretRegistry.register(value);
}

export function unregisterSecret(value: string): void {
  secretRegistry.unregister(value);
}
