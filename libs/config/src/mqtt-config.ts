import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { httpBaseUrl, unset } from './env-fields';
import { redactUrl } from './redact-config';

/** MQTT and Home Assistant (apps/recorder/src/mqtt). Absent (MQTT_URL unset): MQTT is off. */
export interface MqttSettings {
  /** MQTT_URL: mqtt://[user:pass@]host[:1883] or mqtts://…; holds the credentials — never log it. */
  url: string;
  /** The URL with user and password removed: what logs show. */
  displayUrl: string;
  username: string | undefined;
  password: string | undefined;
  /** MQTT_CA_FILE: PEM CA certificate(s) an mqtts:// broker's certificate is checked against (default: the system's). */
  caFile: string | undefined;
  /** MQTT_TOPIC_PREFIX, default wyze-nvr. */
  topicPrefix: string;
  /** MQTT_DISCOVERY_PREFIX, default homeassistant. */
  discoveryPrefix: string;
  /**
   * API_PUBLIC_URL: the API's base URL as Home Assistant reaches it (clipUrl and snapshotUrl in event
   * payloads); default http://<API_HOST>:<API_PORT>.
   */
  apiPublicUrl: string | undefined;
}

function brokerUrl() {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        let url: URL | undefined;
        try {
          url = new URL(s.trim());
        } catch {
          url = undefined;
        }
        // The value is never echoed: it may carry a password.
        if (!url) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an mqtt:// or mqtts:// URL; the value is not a URL' });
        else if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an mqtt:// or mqtts:// URL, got scheme ${JSON.stringify(url.protocol)}` });
        else if (!url.hostname) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an mqtt:// or mqtts:// URL with a host' });
        else return url;
        return z.NEVER;
      }),
  );
}

/** A topic level path: no wildcards, no empty level, no leading or trailing '/'. */
function topicPrefix(fallback: string) {
  return z.preprocess(
    unset,
    z
      .string()
      .default(fallback)
      .transform((s) => s.trim())
      .refine((s) => /^[^/#+\s]+(\/[^/#+\s]+)*$/.test(s), (s) => ({ message: `expected topic levels without + or # or spaces and no empty level, got ${JSON.stringify(s)}` })),
  );
}

function caFile() {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        const path = resolve(s.trim());
        if (existsSync(path) && statSync(path).isFile()) return path;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `no such file: ${path}` });
        return z.NEVER;
      }),
  );
}

/** The MQTT variables, merged into the recorder's schema (recorder-config.ts). */
export const mqttEnvironment = z.object({
  MQTT_URL: brokerUrl(),
  MQTT_CA_FILE: caFile(),
  MQTT_TOPIC_PREFIX: topicPrefix('wyze-nvr'),
  MQTT_DISCOVERY_PREFIX: topicPrefix('homeassistant'),
  API_PUBLIC_URL: httpBaseUrl(),
});

export function mqttSettingsOf(v: z.infer<typeof mqttEnvironment>): MqttSettings | undefined {
  const url = v.MQTT_URL;
  if (!url) return undefined;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return {
    url: url.href,
    displayUrl: redactUrl(bare.href),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    caFile: v.MQTT_CA_FILE,
    topicPrefix: v.MQTT_TOPIC_PREFIX,
    discoveryPrefix: v.MQTT_DISCOVERY_PREFIX,
    apiPublicUrl: v.API_PUBLIC_URL,
  };
}
