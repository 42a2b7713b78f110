import { TutkParseError } from '../wire/parse-error';
import { Cc51Command, Cc51Signer, readCc51Header } from './header';
import { Cc51Discovery, parseCc51Discovery } from './discovery';
import { Cc51Keepalive, parseCc51Keepalive } from './keepalive';
import { Cc51Dtls, parseCc51Dtls } from './dtls-wrapper';

export type Cc51Message = ({ type: 'discovery' } & Cc51Discovery) | ({ type: 'keepalive' } & Cc51Keepalive) | ({ type: 'dtls' } & Cc51Dtls);

/** Parses a 0xCC51 datagram by its command; with a signer every HMAC is checked ('bad-hmac'). */
export function parseCc51Packet(p: Uint8Array, signer?: Cc51Signer): Cc51Message {
  const { cmd } = readCc51Header(p);
  switch (cmd) {
    case Cc51Command.Dtls:
      return { type: 'dtls', ...parseCc51Dtls(p, signer) };
    case Cc51Command.Discovery:
      return { type: 'discovery', ...parseCc51Discovery(p, signer) };
    case Cc51Command.Keepalive:
      return { type: 'keepalive', ...parseCc51Keepalive(p, signer) };
    default:
      throw new TutkParseError('cc51', 'unknown-command', `0x${cmd.toString(16)}`);
  }
}
