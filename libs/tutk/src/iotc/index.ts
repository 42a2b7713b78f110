export * from './header';
export * from './disco';
export * from './session';
export * from './data';
export * from './keepalive';
export * from './packet';
