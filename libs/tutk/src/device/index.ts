export * from './camera-device';
export * from './media-source';
export * from './synthetic-media';
export * from './faulty-transport';
export * from './control-state';
export * from './resend-buffer';
