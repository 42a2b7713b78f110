import { z } from 'zod';

/** One entry of the device list (FACTS §12.2), with the fields this NVR reads, normalized. */
export interface WyzeDevice {
  /** Upper-case hex without separators. */
  mac: string;
  nickname: string;
  productModel: string;
  /** "Camera", "Plug", "Lock"… */
  productType: string;
  firmware: string | null;
  /** conn_state == 1. */
  online: boolean;
  /** The camera's key; a secret. Empty when the cloud gave none. */
  enr: string;
  /** device_params.p2p_id, the TUTK UID. Empty when the cloud gave none. */
  uid: string;
  /** device_params.ip; null when absent or empty (Gwell-based cameras). */
  ip: string | null;
  /** device_params.dtls as sent; 1 = DTLS firmware. Null when absent. */
  dtls: number | null;
  p2pType: number | null;
}

const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v).trim()));
const integer = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || v === '') return null;
    const n = Number(v);
    return Number.isInteger(n) ? n : null;
  });

const deviceEntry = z.object({
  mac: text,
  enr: text,
  nickname: text,
  product_model: text,
  product_type: text,
  firmware_ver: text,
  conn_state: integer,
  device_params: z
    .object({ p2p_id: text, p2p_type: integer, ip: text, dtls: integer })
    .passthrough()
    .nullish(),
}).passthrough();

/** `{ code, msg, data: { device_list: [...] } }` (FACTS §12.2: nested, not the seed's flat list). */
export const deviceListReply = z
  .object({
    data: z.object({ device_list: z.array(deviceEntry) }).passthrough(),
  })
  .passthrough();

export function normalizeMac(mac: string): string {
  return mac.replace(/[:\-.\s]/g, '').toUpperCase();
}

export function toWyzeDevice(entry: z.infer<typeof deviceEntry>): WyzeDevice {
  const p = entry.device_params ?? { p2p_id: '', p2p_type: null, ip: '', dtls: null };
  return {
    mac: normalizeMac(entry.mac),
    nickname: entry.nickname,
    productModel: entry.product_model,
    productType: entry.product_type,
    firmware: entry.firmware_ver === '' ? null : entry.firmware_ver,
    online: entry.conn_state === 1,
    enr: entry.enr,
    uid: p.p2p_id,
    ip: p.ip === '' ? null : p.ip,
    dtls: p.dtls,
    p2pType: p.p2p_type,
  };
}
