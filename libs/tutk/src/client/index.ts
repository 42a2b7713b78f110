export * from './camera-session';
export * from './session-error';
