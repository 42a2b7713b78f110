import 'reflect-metadata';
import { runCli } from './cli';
import { commands } from './commands';

runCli(process.argv.slice(2), commands).then(
  (code) => {
    process.exitCode = code;
    // A command that has returned is done: the process ends when nothing is left, and at the latest a second
    // later (unref: the timer itself keeps nothing alive), so a handle a library leaves open after a clean stop
    // (seen with an MQTT client that reconnected just before the stop) cannot keep a stopped recorder running.
    setTimeout(() => process.exit(), 1000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`wyze-nvr: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
