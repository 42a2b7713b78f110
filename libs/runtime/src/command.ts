import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A process entry: a `wyze-nvr` subcommand, which an app may also run standalone (its own main.ts).
 * `run` resolves to the process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  /** Extra usage text after `wyze-nvr <name>`, e.g. "[--port N] --uid UID". */
  usage?: string;
  options?: ParseArgsConfig['options'];
  /** Printed after the options by `--help`: defaults and behaviour a user should know about. */
  help?: string;
  /** Whether positional arguments are accepted (e.g. `cloud login`). */
  positionals?: boolean;
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number>;
}

/** Thrown for a bad invocation; it is printed with usage and the process exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_USAGE = 2;

export function commandUsage(c: Command): string {
  const opts = Object.entries(c.options ?? {}).map(([k, o]) => `  --${k}${o.type === 'string' ? ' <value>' : ''}${o.short ? `, -${o.short}` : ''}`);
  return [`usage: wyze-nvr ${c.name}${c.usage ? ` ${c.usage}` : ''}`, '', c.summary, ...(opts.length ? ['', 'options:', ...opts] : []), ...(c.help ? ['', c.help] : [])].join('\n');
}

/**
 * Runs one command with its arguments (without the command name): `--help` → usage on stdout and 0; a bad
 * flag or a UsageError → the message and usage on stderr and exit code 2.
 */
export async function runCommand(cmd: Command, args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out.write(commandUsage(cmd) + '\n');
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: cmd.options ?? {}, strict: true, allowPositionals: cmd.positionals ?? false });
  } catch (e) {
    err.write(`wyze-nvr ${cmd.name}: ${(e as Error).message}\n\n${commandUsage(cmd)}\n`);
    return EXIT_USAGE;
  }
  try {
    return await cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`wyze-nvr ${cmd.name}: ${e.message}\n\n${commandUsage(cmd)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM. The listeners stay: a second SIGTERM while the command stops (a
 * supervisor or test repeating itself) is ignored instead of killing the process mid-stop by the default
 * action; a second SIGINT (Ctrl-C again) exits at once with 130.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first = true;
    const on = (sig: NodeJS.Signals) => {
      if (first) {
        first = false;
        resolve(sig);
      } else if (sig === 'SIGINT') process.exit(130);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
