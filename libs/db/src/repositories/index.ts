export * from './event.repository';
export * from './gap.repository';
export * from './segment.repository';
