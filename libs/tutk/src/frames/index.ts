export * from './assembler';
export * from './audio-tx';
export * from './codecs';
export * from './frame-buffer-pool';
export * from './frame-info';
export * from './in-order-assembler';
export * from './packet';
export * from './packetizer';
