import { TransportKeys } from '../credentials/credentials';
import { randomSessionId } from '../credentials/session-id';
import { Cc51Command, isCc51 } from '../cc51/header';
import { CC51_DISCOVERY_LENGTH } from '../cc51/discovery';
import { IotcCommand } from '../iotc/header';
import { peekIotcCommand } from '../iotc/packet';
import { Cc51FlavourClient, Cc51ClientOptions } from './cc51';
import { OldFlavourClient } from './old';
import { ClientEvent, ClientFlavour } from './flavour';
import { u16le } from '../wire/byte-reader';

export interface ProbeOutcome {
  flavour: ClientFlavour;
  /** Always a 'discovery' event with `first: true`; send its `reply`, if any. */
  event: ClientEvent;
}

/**
 * Simultaneous probing of both flavours with one sid (FACTS §6): the first valid discovery reply picks
 * the flavour. Send `probes()` every 100 ms; offer every datagram to `accept()` until it returns an
 * outcome, then drive `outcome.flavour` alone (flavour.ts).
 */
export class FlavourProbe {
  readonly old: OldFlavourClient;
  readonly cc51: Cc51FlavourClient;

  constructor(keys: TransportKeys, sessionId: Uint8Array = randomSessionId(), cc51Options: Omit<Cc51ClientOptions, 'sessionId'> = {}) {
    this.old = new OldFlavourClient(keys, sessionId);
    this.cc51 = new Cc51FlavourClient(keys, { ...cc51Options, sessionId });
  }

  /** OLD 0x0601 stage 1 then CC51 0x1002 seq 0, the order go2rtc sends them in (CAPTURES). */
  probes(): [Uint8Array, Uint8Array] {
    return [this.old.probe(), this.cc51.probe()];
  }

  /**
   * A CC51 0x1002 of at least 52 bytes picks CC51; otherwise a datagram that decodes to IOTC 0x0602
   * picks OLD (FACTS §6). Returns undefined for anything else, which the caller ignores. A reply that
   * fails its HMAC throws TutkParseError 'bad-hmac' and decides nothing.
   */
  accept(datagram: Uint8Array): ProbeOutcome | undefined {
    if (isCc51(datagram)) {
      if (datagram.length < CC51_DISCOVERY_LENGTH || u16le(datagram, 4) !== Cc51Command.Discovery) return undefined;
      return { flavour: this.cc51, event: this.cc51.unwrap(datagram) };
    }
    if (peekIotcCommand(datagram) !== IotcCommand.DiscoReply) return undefined;
    return { flavour: this.old, event: this.old.unwrap(datagram) };
  }
}
