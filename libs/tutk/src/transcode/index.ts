export * from './transcode';
