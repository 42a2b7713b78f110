// libs/camera-sim: an emulated Wyze camera for tests, demos and benchmarks, built on libs/tutk's CameraDevice.
export * from './access-units';
export * from './file-media-source';
export * from './bench-media';
export * from './camera-sim';
