import type { ParseArgsConfig } from 'node:util';

/** A `wyze-nvr` subcommand. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Extra usage text after `wyze-nvr <name>`, e.g. "[--port N] --uid UID". */
  usage?: string;
  options?: ParseArgsConfig['options'];
  /** Whether positional arguments are accepted (e.g. `cloud login`). */
  positionals?: boolean;
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number>;
}

/** Thrown for a bad invocation; the CLI prints it with usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_USAGE = 2;
