import { parseArgs } from 'node:util';
import { Command, EXIT_USAGE, UsageError } from './command';

function usage(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: wyze-nvr <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `wyze-nvr <command> --help` for its options. Configuration comes from the environment (see README).',
  ].join('\n');
}

function commandUsage(c: Command): string {
  const opts = Object.entries(c.options ?? {}).map(([k, o]) => `  --${k}${o.type === 'string' ? ' <value>' : ''}${o.short ? `, -${o.short}` : ''}`);
  return [`usage: wyze-nvr ${c.name}${c.usage ? ` ${c.usage}` : ''}`, '', c.summary, ...(opts.length ? ['', 'options:', ...opts] : [])].join('\n');
}

/**
 * Dispatches argv (without node and script) to a command. Unknown command or bad flag → usage on
 * stderr and exit code 2; `--help` → usage on stdout and 0.
 */
export async function runCli(argv: string[], commands: Command[], out = process.stdout, err = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? out : err).write(usage(commands) + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    err.write(`wyze-nvr: unknown command "${name}"\n\n${usage(commands)}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out.write(commandUsage(cmd) + '\n');
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: cmd.options ?? {}, strict: true, allowPositionals: cmd.positionals ?? false });
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
