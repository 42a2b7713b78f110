export * from './header';
export * from './discovery';
export * from './keepalive';
export * from './dtls-wrapper';
export * from './packet';
