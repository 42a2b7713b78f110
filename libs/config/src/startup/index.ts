// Process startup shared by the apps' entries and the CLI (`@wyze-nvr/config/startup`). Kept out of the
// package's main index so that reading configuration does not load the database and logger.
export { commandUsage, runCommand, UsageError, EXIT_USAGE, type Command } from './command';
export { loadConfigOrReport, openRuntime, untilSignal, type Runtime } from './runtime';
