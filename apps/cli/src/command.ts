// The commands that are not an app's own entry still import these from here.
export { UsageError, EXIT_USAGE, type Command } from '@wyze-nvr/config/startup';
