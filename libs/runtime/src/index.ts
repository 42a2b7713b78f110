// Process startup shared by the apps' entries and the CLI: one command shape, and the runtime (validated
// configuration, logger with secrets registered, migrated database) every long-running command opens.
export { commandUsage, runCommand, UsageError, EXIT_USAGE, type Command } from './command';
export { loadConfigOrReport, openRuntime, untilSignal, type Runtime } from './runtime';
