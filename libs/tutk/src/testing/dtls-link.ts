import { DtlsClient, type DtlsClientOptions } from '../dtls/dtls-client';
import { DtlsServer, type DtlsServerOptions } from '../dtls/dtls-server';
import { wyzePskFromEnr } from '../dtls/psk';

export type LinkFilter = (datagram: Uint8Array, from: 'client' | 'server', index: number) => Uint8Array[];

/**
 * Test harness: a client and a server joined by an in-memory lossy link. Each datagram goes through `filter`,
 * which returns what to deliver (none = dropped, two = duplicated); delivery is asynchronous like a socket.
 */
/** The PSK both ends share unless a test gives one of them another. */
export const LINK_PSK = wyzePskFromEnr('aKzdqckqZ8HUHFe5').psk;

export function linkedPair(
  clientOptions: Partial<DtlsClientOptions>,
  serverOptions: Partial<DtlsServerOptions>,
  filter: LinkFilter = (d) => [d],
): { client: DtlsClient; server: DtlsServer; sent: { client: Uint8Array[]; server: Uint8Array[] } } {
  const sent = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
  const wire = (from: 'client' | 'server') => (d: Uint8Array) => {
    const copy = Uint8Array.from(d);
    const index = sent[from].push(copy) - 1;
    for (const out of filter(copy, from, index)) {
      setImmediate(() => (from === 'client' ? server : client).handleDatagram(out));
    }
  };
  const client = new DtlsClient({ psk: LINK_PSK, ...clientOptions, send: wire('client') });
  const server = new DtlsServer({ psk: LINK_PSK, ...serverOptions, send: wire('server') });
  return { client, server, sent };
}

export function nextEvent<T extends unknown[]>(emitter: { once(ev: string, l: (...a: T) => void): unknown }, ev: string): Promise<T> {
  return new Promise((resolve) => emitter.once(ev, (...a: T) => resolve(a)));
}
