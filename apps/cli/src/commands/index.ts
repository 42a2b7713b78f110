import { apiCommand } from '../../../api/src/api.command';
import { recordCommand } from '../../../recorder/src/record.command';
import type { Command } from '@wyze-nvr/runtime';
import { cameraSimCommand } from './camera-sim.command';
import { cloudCommand } from './cloud.command';
import { demoCommand } from './demo.command';
import { migrateCommand } from './migrate.command';
import { probeCommand } from './probe.command';

/** Every `wyze-nvr` subcommand, in the order usage lists them. */
export const commands: Command[] = [demoCommand, recordCommand, apiCommand, migrateCommand, cloudCommand, cameraSimCommand, probeCommand];
