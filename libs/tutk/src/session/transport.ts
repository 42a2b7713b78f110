import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { lookup } from 'node:dns';
import { isIPv4 } from 'node:net';

/** Where a datagram came from. */
export interface PeerAddress {
  address: string;
  port: number;
}

export type DatagramHandler = (datagram: Uint8Array, from: PeerAddress) => void;

/**
 * The one UDP socket a TUTK peer uses (FACTS §2). Small on purpose so a test can inject a fake and the
 * session logic never sees node:dgram. Received datagrams are owned by the handler (OLD decodes in place).
 */
export interface DatagramTransport {
  /** Binds; port 0 (the default) picks an ephemeral port. Resolves with the bound address. */
  bind(port?: number, host?: string): Promise<PeerAddress>;
  send(datagram: Uint8Array, port: number, host: string): void;
  onMessage(handler: DatagramHandler): void;
  /** Socket errors after bind (ICMP unreachable is not one: UDP sends are fire and forget). */
  onError(handler: (err: Error) => void): void;
  readonly local: PeerAddress | undefined;
  /** The socket's receive buffer once bound, where the transport has one. */
  readonly receiveBuffer?: ReceiveBuffer;
  close(): void;
}

/** What was asked of the OS for the receive buffer, and what it granted. */
export interface ReceiveBuffer {
  requested: number;
  /** As the OS reports it (Linux reports twice the usable size it set aside). */
  granted: number;
  /** Smaller than asked for: the OS cap (Linux: net.core.rmem_max) is lower. */
  capped: boolean;
}

/** Linux doubles SO_RCVBUF for its bookkeeping and reports the doubled value; a cap shows as less than that. */
export function receiveBufferOf(requested: number, reported: number, platform: NodeJS.Platform = process.platform): ReceiveBuffer {
  return { requested, granted: reported, capped: reported < (platform === 'linux' ? 2 * requested : requested) };
}

/** go2rtc asks for a 2 MiB receive buffer (FACTS §2); bursts of media packets need it. */
export const RECEIVE_BUFFER_BYTES = 2 * 1024 * 1024;

/**
 * How the socket resolves every address it binds or sends to. node:dgram's default is dns.lookup, which
 * answers even an IP literal only on the next tick: each bind and each send waited behind whatever else was
 * queued, and the handshake's first probe left a tick late. A literal (the camera's address always is one
 * once connect() has resolved the host) is answered at once; a name still goes to dns.lookup.
 */
export const literalFirstLookup: NonNullable<SocketOptions['lookup']> = (host, family, callback) => {
  if (isIPv4(host)) return callback(null, host, 4);
  lookup(host, family, callback);
};

/** {@link DatagramTransport} over node:dgram (IPv4). */
export class UdpTransport implements DatagramTransport {
  private readonly socket: Socket;
  private handler: DatagramHandler | undefined;
  private errorHandler: ((err: Error) => void) | undefined;
  private bound: PeerAddress | undefined;
  private closed = false;
  receiveBuffer: ReceiveBuffer | undefined;

  constructor() {
    this.socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES, lookup: literalFirstLookup });
    // rinfo is a fresh object per datagram and already a PeerAddress: no second one per packet.
    this.socket.on('message', (msg, rinfo) => this.handler?.(msg, rinfo));
    this.socket.on('error', (err) => this.errorHandler?.(err));
  }

  bind(port = 0, host?: string): Promise<PeerAddress> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.socket.once('error', onError);
      this.socket.bind(port, host, () => {
        this.socket.off('error', onError);
        const a = this.socket.address();
        this.bound = { address: a.address, port: a.port };
        this.receiveBuffer = receiveBufferOf(RECEIVE_BUFFER_BYTES, this.socket.getRecvBufferSize());
        resolve(this.bound);
      });
    });
  }

  get local(): PeerAddress | undefined {
    return this.bound;
  }

  send(datagram: Uint8Array, port: number, host: string): void {
    if (this.closed) return;
    this.socket.send(datagram, port, host, (err) => {
      if (err && !this.closed) this.errorHandler?.(err);
    });
  }

  onMessage(handler: DatagramHandler): void {
    this.handler = handler;
  }

  onError(handler: (err: Error) => void): void {
    this.errorHandler = handler;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler = undefined;
    try {
      this.socket.close();
    } catch {
      // Never bound: nothing to release.
    }
  }
}
