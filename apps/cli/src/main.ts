import 'reflect-metadata';
import { runCli } from './cli';
import { commands } from './commands';

runCli(process.argv.slice(2), commands).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`wyze-nvr: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
