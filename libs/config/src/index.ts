export { ConfigError, type ConfigIssue } from './config.error';
export {
  loadConfig,
  LOG_LEVELS,
  API_TOKEN_MIN_LENGTH,
  type AppConfig,
  type LoadConfigOptions,
  type LogLevel,
  type RequirableVariable,
} from './app-config';
export { redactConfig, redactUrl, configSecrets, REDACTED, type RedactedConfig } from './redact-config';
export {
  parseSecretKey,
  generateSecretKey,
  generateToken,
  loadOrCreateSecretKey,
  resolveSecretKey,
  SECRET_KEY_BYTES,
  SECRET_KEY_FILE,
  type StoredSecretKey,
} from './secret-key';
export { SecretBox, SecretBoxError, type SecretBoxErrorCode } from './secret-box';
export { loadRecorderSettings, NODE_ID_PATTERN, type RecorderSettings, type MotionSettings, type LiveSettings, type ClusterSettings } from './recorder-config';
export { deriveInternalToken, INTERNAL_TOKEN_HEADER, isInternalToken } from './internal-token';
export { type MqttSettings } from './mqtt-config';
