/** Production hosts (FACTS §12.1, §12.2); tests and the CLI's --cloud-url replace them. */
export const WYZE_AUTH_URL = 'https://auth-prod.api.wyze.com';
export const WYZE_API_URL = 'https://api.wyzecam.com';

export const LOGIN_PATH = '/api/user/login';
/** FACTS §12.1 MFA, **OPEN**: used by SDK-based tools, not verified against today's API. */
export const SEND_SMS_CODE_PATH = '/user/login/sendSmsCode';
export const DEVICE_LIST_PATH = '/app/v2/home_page/get_object_list';
/**
 * **INFERRED**: SEED §14 shows `refresh_token` in the login reply but not where to spend it; SDK-based
 * tools post it here with the common body and read `data.access_token`/`data.refresh_token`.
 */
export const REFRESH_TOKEN_PATH = '/app/user/refresh_token';

/** The common body fields of the api.wyzecam.com v2 calls (FACTS §12.2), apart from the token, phone id and time. */
export const APP_FIELDS = Object.freeze({
  app_name: 'com.hualai.WyzeCam',
  app_ver: 'com.hualai.WyzeCam___2.50.0',
  app_version: '2.50.0',
  phone_system_type: 1,
  sc: '9f275790cab94a72bd206c8876429f3c',
  sv: '9d74946e652647e9b6c9d59326aef104',
});

/** api.wyzecam.com success code (FACTS §12.2: anything else is an error). */
export const API_SUCCESS_CODE = '1';
/** **INFERRED** from SDK-based tools: the v2 API's "access token expired or invalid" code. */
export const ACCESS_TOKEN_ERROR_CODE = '2001';

export const USER_AGENT = 'wyze-nvr';
