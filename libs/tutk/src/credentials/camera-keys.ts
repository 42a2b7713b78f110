import { kauthKeys, KAuthStatus } from '../av/kauth';
import { wyzePskFromEnr } from '../dtls/psk';
import { deriveTransportKeys, type TransportKeys } from './credentials';

/** The K10001 statuses a client can answer (FACTS §9.2); the others carry no key. */
const ANSWERABLE_STATUSES = [KAuthStatus.DefaultKey, KAuthStatus.EnrKey, KAuthStatus.DoubleEnrKey];

/** Every secret a session needs from one camera's ENR, derived in one place so no caller re-derives it. */
export interface CameraKeys extends TransportKeys {
  /** The DTLS PSK on both channels (FACTS §7.1). */
  psk: Uint8Array;
  /** The AV login password: the ENR itself (FACTS §8.2). */
  avLoginPassword: string;
  /** XXTEA keys by K10001 status, in the order the client decrypts with them (FACTS §9.2). */
  kauthKeys: ReadonlyMap<number, readonly Uint8Array[]>;
}

/** Throws RangeError on a UID or AuthKey no camera could have, as {@link deriveTransportKeys}. */
export function deriveCameraKeys(enr: string, uid: string, mac: string): CameraKeys {
  return {
    ...deriveTransportKeys({ uid, enr, mac }),
    psk: wyzePskFromEnr(enr).psk,
    avLoginPassword: enr,
    kauthKeys: new Map(ANSWERABLE_STATUSES.map((s) => [s, kauthKeys(enr, s)])),
  };
}
