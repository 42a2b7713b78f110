import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { MqttSettings } from '@wyze-nvr/config';
import type { Logger } from '@wyze-nvr/log';
import { connect, type MqttClient } from 'mqtt';
import { Backoff } from '../supervisor/backoff';

/** How long a stop waits for the broker to take `offline` and the disconnect. */
const CLOSE_WAIT_MS = 2000;

export interface MqttConnectionOptions {
  settings: MqttSettings;
  /**
   * Retained `offline` here is the broker's last will; `online` is published at each connect. Several
   * recorders share it: each one live answers an `offline` it reads there (another node's last will) with
   * `online`, so it says `offline` only once no recorder is connected.
   */
  availabilityTopic: string;
  /** Subscribed at each connect (a clean session forgets subscriptions). */
  subscriptions: readonly string[];
  /** Each connect, after `online` and the subscriptions: publish the current state. */
  onConnect(): void;
  onMessage(topic: string, payload: Buffer): void;
  /** Another recorder's last will was read (a node killed or cut off), and answered with `online`. */
  onOtherNodeGone?(): void;
  logger: Logger;
  backoff?: Backoff;
}

/**
 * The broker connection: `online`/`offline` availability with the last will, and reconnects with
 * exponential backoff (1 s doubling to 60 s). Nothing is queued while the broker is away: publish() drops
 * what it cannot send at once, and onConnect republishes the current state — a motion ON/OFF that happened
 * meanwhile is not replayed as if new. Nothing here throws into the recorder.
 *
 * Availability with several recorders: one topic, `online` while any recorder is connected. A node killed
 * (or cut off) leaves its last will, `offline`, which every live node reads (it subscribes to the topic)
 * and overwrites with `online` at once; a node that stops cleanly publishes `offline` only when it is the
 * last one (`close({ lastNode })`), and otherwise disconnects cleanly, which sends no will.
 */
export class MqttConnection {
  private readonly client: MqttClient;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private wasConnected = false;
  /** Messages not sent because the broker was away (dropped, not queued). */
  dropped = 0;
  connects = 0;

  constructor(private readonly o: MqttConnectionOptions) {
    const s = o.settings;
    this.log = o.logger.child({ component: 'mqtt' });
    this.backoff = o.backoff ?? new Backoff(1000, 60_000);
    const url = new URL(s.url);
    url.username = '';
    url.password = '';
    this.client = connect(url.href, {
      username: s.username,
      password: s.password,
      ca: s.caFile ? readFileSync(s.caFile) : undefined,
      clientId: `wyze-nvr-${hostname()}-${process.pid}`.slice(0, 64),
      clean: true,
      keepalive: 30,
      connectTimeout: 10_000,
      // Reconnects are ours (backoff); nothing is queued offline (no replay of old motion).
      reconnectPeriod: 0,
      queueQoSZero: false,
      will: { topic: o.availabilityTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client.on('connect', () => this.connected());
    this.client.on('message', (topic, payload, packet) => {
      if (topic === o.availabilityTopic) {
        this.availability(payload.toString('utf8'), packet.retain);
        return;
      }
      try {
        o.onMessage(topic, payload);
      } catch (e) {
        this.log.warn({ err: e, topic }, 'MQTT message handler failed');
      }
    });
    // Errors carry no credentials (mqtt.js names host and port, or the broker's CONNACK reason).
    this.client.on('error', (e) => this.log.debug({ err: e.message }, 'MQTT error'));
    this.client.on('close', () => this.lost());
    this.log.info({ url: s.displayUrl }, `MQTT: connecting to ${s.displayUrl}`);
  }

  get isConnected(): boolean {
    return this.client.connected;
  }

  /** Sends now, or drops the message when the broker is away. */
  publish(topic: string, payload: string | Uint8Array, opts: { retain?: boolean; qos?: 0 | 1 } = {}): void {
    if (!this.client.connected) {
      this.dropped++;
      return;
    }
    this.client.publish(topic, typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { retain: opts.retain ?? false, qos: opts.qos ?? 0 }, (e) => {
      if (e) this.log.debug({ err: e.message, topic }, 'MQTT publish failed');
    });
  }

  /** Publishes `offline` when this is the last recorder (a clean stop sends no will), and disconnects. */
  async close(opts: { lastNode: boolean } = { lastNode: true }): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    // Bounded: a broker that goes away now never acknowledges, and a stop must not wait for it.
    const within = (p: Promise<unknown>) => Promise.race([p, new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    if (this.client.connected && opts.lastNode) {
      await within(new Promise<void>((resolve) => this.client.publish(this.o.availabilityTopic, 'offline', { retain: true, qos: 1 }, () => resolve())));
    }
    await within(this.client.endAsync(false).catch(() => undefined));
    if (!this.client.disconnected) this.client.end(true);
  }

  private connected(): void {
    this.connects++;
    this.wasConnected = true;
    this.backoff.reset();
    this.log.info({ url: this.o.settings.displayUrl }, 'MQTT connected');
    this.client.publish(this.o.availabilityTopic, 'online', { retain: true, qos: 1 });
    this.client.subscribe([...this.o.subscriptions, this.o.availabilityTopic], { qos: 1 }, (e) => {
      if (e) this.log.warn({ err: e.message }, 'MQTT subscribe failed');
    });
    try {
      this.o.onConnect();
    } catch (e) {
      this.log.warn({ err: e }, 'MQTT republish failed');
    }
  }

  /** Another recorder's last will (or a last node's stop racing this one's start): this node is up, so `online`. */
  private availability(payload: string, retained: boolean): void {
    if (payload !== 'offline' || this.closed || !this.client.connected) return;
    this.log.info('another recorder went away (its last will said offline): online again, as this one is up');
    this.client.publish(this.o.availabilityTopic, 'online', { retain: true, qos: 1 });
    // A retained `offline` is an old stop, not a node gone now.
    if (!retained) this.o.onOtherNodeGone?.();
  }

  private lost(): void {
    if (this.closed || this.retry) return;
    if (this.wasConnected) this.log.warn('MQTT connection lost; reconnecting (recording is not affected)');
    else if (this.backoff.attempts === 0) this.log.warn({ url: this.o.settings.displayUrl }, 'MQTT broker not reachable; retrying with backoff (recording is not affected)');
    this.wasConnected = false;
    const wait = this.backoff.next();
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) this.client.reconnect();
    }, wait);
    this.retry.unref();
  }
}
