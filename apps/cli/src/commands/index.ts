import type { Command } from '@wyze-nvr/runtime/command';

/**
 * A subcommand as usage lists it. Its module, and everything that module imports (Nest, TypeORM and PGlite
 * for some), is loaded only when the command runs or shows its own help, so `probe` and `camera-sim` do
 * not pay for the API and the recorder.
 */
export interface CommandEntry {
  name: string;
  /** The same line as the loaded command's own summary. */
  summary: string;
  load(): Promise<Command>;
}

/** Every `wyze-nvr` subcommand, in the order usage lists them. */
export const commands: CommandEntry[] = [
  {
    name: 'demo',
    summary: 'an emulated camera, the recorder and the API in one process on the embedded defaults (PGlite, in-process jobs); prints the API URL and token',
    load: async () => (await import('./demo.command')).demoCommand,
  },
  {
    name: 'record',
    summary: 'run the recorder: one supervised session per enabled camera (--reconcile: reconcile files and index, then exit)',
    load: async () => (await import('../../../recorder/src/record.command')).recordCommand,
  },
  {
    name: 'api',
    summary: 'serve the REST API (OpenAPI at /api/docs)',
    load: async () => (await import('../../../api/src/api.command')).apiCommand,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations (or revert them all with --revert)',
    load: async () => (await import('./migrate.command')).migrateCommand,
  },
  {
    name: 'cloud',
    summary: 'Wyze account: `login` (stores the session encrypted), `import [--dry-run]` cameras, `status`, `logout`',
    load: async () => (await import('./cloud.command')).cloudCommand,
  },
  {
    name: 'camera-sim',
    summary: 'run emulated Wyze cameras (TUTK/IOTC, both flavours) streaming media files, with optional fault injection',
    load: async () => (await import('./camera-sim.command')).cameraSimCommand,
  },
  {
    name: 'probe',
    summary: 'connect to one camera, print every handshake phase with its timing and the stream figures (diagnostics)',
    load: async () => (await import('./probe.command')).probeCommand,
  },
];
