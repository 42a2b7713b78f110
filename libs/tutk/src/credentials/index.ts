export * from './auth-key';
export * from './credentials';
export * from './session-id';
export * from './camera-keys';
