export type { ClientEvent, ClientFlavour, ClientState, DeviceEvent, DeviceFlavour, DeviceState, FlavourName, IgnoredReason } from './flavour';
export * from './old';
export * from './cc51';
export * from './probe';
