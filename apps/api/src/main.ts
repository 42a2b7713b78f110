// Standalone entry (`nest start api`, `node dist/apps/api/apps/api/src/main.js`): the same as `wyze-nvr api`.
import 'reflect-metadata';
import { runCommand } from '@wyze-nvr/runtime';
import { apiCommand } from './api.command';

void runCommand(apiCommand, process.argv.slice(2)).then((code) => (process.exitCode = code));
