/** First two bytes (LE u16) of a channel-0 AV record (FACTS §8.1, SEED §16.2). */
export const AvMagic = {
  Login1: 0x0000,
  Login2: 0x2000,
  LoginResponse: 0x2100,
  Ioctrl: 0x7000,
  ChannelMessage: 0x1000,
  Control: 0x000c,
  Ack: 0x0009,
} as const;

/** [2-3] of every record the client sends (FACTS §8.2, §8.4, §8.5). */
export const AV_VERSION = 0x000c;
/** Capabilities word of the login and its response (FACTS §8.2). */
export const AV_CAPABILITIES = 0x001f07fb;
/** go2rtc writes 4 at login [540-543]; the SDK's AV_SECURITY_AUTO is 2 (FACTS §8.2, §16 item 4). */
export const AV_SECURITY_MODE = 4;
/** Largest decrypted channel-0 record go2rtc can read (FACTS §8.1). */
export const AV_MAX_RECORD = 2048;
