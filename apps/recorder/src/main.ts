// Standalone entry (`nest start recorder`, `node dist/apps/recorder/apps/recorder/src/main.js`): the same as `wyze-nvr record`.
import 'reflect-metadata';
import { runCommand } from '@wyze-nvr/runtime';
import { recordCommand } from './record.command';

void runCommand(recordCommand, process.argv.slice(2)).then((code) => (process.exitCode = code));
