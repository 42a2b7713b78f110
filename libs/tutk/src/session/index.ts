// Shared socket and timer plumbing for the client (client/) and the camera emulator (device/).
export * from './transport';
export * from './timers';
export * from './command-queue';
export * from './drops';
