// Camera controls: which model has which, their API values, and their K-commands. Pure (no sockets): the
// API imports it for validation, the recorder and the emulator for the commands.
export * from './model-capabilities';
export * from './control-values';
export * from './control-specs';
