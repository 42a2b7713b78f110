export { WyzeCloudError, isWyzeCloudError, type WyzeCloudErrorCode, type WyzeCloudErrorDetails } from './wyze-cloud.error';
export { WyzeCloudClient, loginFailure, type CloudTokens, type TokenHolder, type WyzeCloudClientOptions, type WyzeCredentials } from './wyze-cloud.client';
export { CloudHttp, DEFAULT_RETRY, backoffDelay, parseRetryAfter, type CloudHttpOptions, type FetchLike, type RetryPolicy } from './cloud-http';
export { MFA_PREFERENCE, mfaMethodsOffered, type MfaMethod, type MfaResponder } from './mfa';
export { totp, hotp, decodeBase32, TotpSecretError, type TotpOptions } from './totp';
export { loginPasswordHash } from './login-password';
export { normalizeMac, type WyzeDevice } from './wyze-device';
export { classifyCamera, isCamera, knownModelName, KNOWN_WORKING_MODELS, CAMERA_PRODUCT_TYPE, type CameraClassification, type CameraSupport } from './camera-support';
export {
  CameraImporter,
  type CameraImporterDeps,
  type DeviceSource,
  type FieldChange,
  type ImportAction,
  type ImportEntry,
  type ImportedField,
  type ImportOptions,
  type ImportPlan,
  type ImportProgress,
} from './camera-importer';
export {
  FileCloudSessionStore,
  MemoryCloudSessionStore,
  CLOUD_SESSION_FILE,
  type CloudSessionStore,
  type ImportSummary,
  type StoredCloudSession,
} from './cloud-session.store';
export { StoredSessionHolder } from './stored-session.holder';
export { CloudAccountService, type CloudAccountServiceDeps, type LoginResult } from './cloud-account.service';
export { CloudImportService, readCloudStatus, type CloudImportServiceDeps, type CloudStatus } from './cloud-import.service';
export { WYZE_AUTH_URL, WYZE_API_URL } from './wyze-api.constants';
