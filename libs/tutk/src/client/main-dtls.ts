import { DtlsClient } from '../dtls/dtls-client';

/** pion's first retransmission (FACTS §7.2, CAPTURES: flights at 0, 0.3, 0.9, 2.1, 4.5 s). */
const DTLS_FIRST_RETRANSMIT_MS = 300;

/** What the channel-0 DTLS client needs of its session. */
export interface MainDtlsHost {
  psk: Uint8Array;
  handshakeTimeoutMs: number;
  /** One DTLS datagram out, wrapped for channel 0. */
  send(datagram: Uint8Array): void;
  /** One decrypted record from the camera (FACTS §8.1). */
  onRecord(record: Uint8Array): void;
  /** While the handshake phase runs, handshake() reports failures itself. */
  handshaking(): boolean;
  /** Ends the session: the camera closed or alerted. */
  closedByCamera(detail: string, cause?: unknown): void;
}

/**
 * The session's DTLS client on channel 0 (FACTS §7.2), its ClientHello and key pair already made
 * (DtlsClient.prepare): the session builds it while discovery and the session stage wait for the camera.
 */
export function prepareMainDtls(host: MainDtlsHost): DtlsClient {
  const dtls = new DtlsClient({
    psk: host.psk,
    send: (d) => host.send(d),
    handshakeTimeoutMs: host.handshakeTimeoutMs,
    retransmitInitialMs: DTLS_FIRST_RETRANSMIT_MS,
    // The transport hands each datagram over (DatagramTransport): records are decrypted where they lie.
    decryptInPlace: true,
  });
  dtls.on('data', (r) => host.onRecord(r));
  // Before connect, handshake() reports the error; afterwards any alert or close ends the session (FACTS §7.2).
  dtls.on('error', (e) => {
    if (dtls.closed && !host.handshaking()) host.closedByCamera(`DTLS ${e.code}`, e);
  });
  dtls.on('alert', (a) => host.closedByCamera(`DTLS warning alert ${a.description}`));
  dtls.on('close', () => {
    if (!host.handshaking()) host.closedByCamera('the camera closed DTLS on channel 0');
  });
  dtls.prepare();
  return dtls;
}
