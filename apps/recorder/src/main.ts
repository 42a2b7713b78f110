// Standalone entry (`nest start recorder`, `node dist/apps/recorder/apps/recorder/src/main.js`): the same as `wyze-nvr record`.
import 'reflect-metadata';
import { runCli } from '../../cli/src/cli';
import { commands } from '../../cli/src/commands';

void runCli(['record', ...process.argv.slice(2)], commands).then((code) => (process.exitCode = code));
