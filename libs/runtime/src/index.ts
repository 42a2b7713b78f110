// Process startup shared by the apps' entries and the CLI: one command shape, and the runtime (validated
// configuration, logger with secrets registered, migrated database) every long-running command opens.
// `@wyze-nvr/runtime/command` is the command shape alone, for commands that need none of the runtime
// (probe, camera-sim) and should not load zod and pino to start.
export { commandUsage, runCommand, untilSignal, UsageError, EXIT_USAGE, type Command } from './command';
export { loadConfigOrReport, openRuntime, type Runtime } from './runtime';
