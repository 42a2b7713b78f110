// Bytes: format-neutral Uint8Array helpers that libs/tutk and libs/media both use.
export { concatBytes, sameBytes } from './bytes';
