// libs/tutk: the TUTK/IOTC protocol engine for Wyze cameras, in layers (see each folder's header comments).
export * from './wire/parse-error';
export * from './transcode';
export * from './credentials';
export * from './iotc';
export * from './cc51';
export * from './flavour';
export * from './dtls';
export * from './xxtea';
export * from './av';
export * from './frames';
export * from './session';
export * from './client';
export * from './device';
export * from './controls';
