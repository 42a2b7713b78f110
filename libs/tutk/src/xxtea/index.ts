export * from './xxtea';
