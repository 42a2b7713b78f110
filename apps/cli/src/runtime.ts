// The commands that are not an app's own entry still import these from here.
export { loadConfigOrReport, openRuntime, untilSignal, type Runtime } from '@wyze-nvr/config/startup';
