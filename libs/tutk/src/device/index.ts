export * from './camera-device';
export * from './media-source';
export * from './synthetic-media';
export * from './faulty-transport';
export * from './resend-buffer';
