// Standalone entry (`nest start api`, `node dist/apps/api/apps/api/src/main.js`): the same as `wyze-nvr api`.
import 'reflect-metadata';
import { runCli } from '../../cli/src/cli';
import { commands } from '../../cli/src/commands';

void runCli(['api', ...process.argv.slice(2)], commands).then((code) => (process.exitCode = code));
