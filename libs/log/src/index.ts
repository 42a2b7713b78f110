export { createLogger, childLogger, RedactingStream, type CreateLoggerOptions, type LogBindings, type LogDestination, type Logger, type LogLevel } from './logger';
export { NestPinoLogger } from './nest-pino-logger';
export { redactSecrets, isSensitiveKey, SENSITIVE_KEYS } from './redact-secrets';
export { SecretRegistry, secretRegistry, registerSecret, unregisterSecret, REDACTED, MIN_SECRET_LENGTH } from './secret-registry';
