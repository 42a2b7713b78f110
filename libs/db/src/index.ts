export * from './data-source';
export * from './entities';
export * from './int8';
export * from './migrations';
export * from './motion-activity';
export * from './time-range';
