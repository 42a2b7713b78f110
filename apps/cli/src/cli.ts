import { EXIT_USAGE, runCommand } from '@wyze-nvr/runtime/command';
import type { CommandEntry } from './commands';

function usage(commands: CommandEntry[]): string {
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

/**
 * Dispatches argv (without node and script) to a command, loading only that command's module. Unknown
 * command or bad flag → usage on stderr and exit code 2; `--help` → usage on stdout and 0.
 */
export async function runCli(argv: string[], commands: CommandEntry[], out = process.stdout, err = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? out : err).write(usage(commands) + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    err.write(`wyze-nvr: unknown command "${name}"\n\n${usage(commands)}\n`);
    return EXIT_USAGE;
  }
  return runCommand(await entry.load(), rest, out, err);
}
