import type { MqttSettings } from '@wyze-nvr/config';
import type { Logger } from '@wyze-nvr/log';
import { isControlName, type ControlName } from '@wyze-nvr/tutk';
import type { RecorderClock, TimerHandle } from '../clock/recorder-clock';
import type { CameraControls } from '../controls/camera-controls';
import type { EventRecord, StoredCamera } from '../index/recorder-store';
import type { MotionTransition } from '../motion/camera-motion';
import { cameraStateOf, eventMessage, type CameraStateMessage, type EventType } from './mqtt-payloads';
import { controlStateOf, controlValueOf, discoveryConfigs, entityControls, type DiscoveryConfig } from './ha-discovery';
import { MqttConnection, type MqttConnectionOptions } from './mqtt-connection';
import { MqttTopics } from './mqtt-topics';

/** What the publisher reads from and asks of the recorder. */
export interface MqttRecorderView {
  /** The running camera's supervisor state and last error; undefined for a camera this recorder does not run. */
  cameraStatus(id: number): { state: string; reason: string | null } | undefined;
  controls(id: number): Pick<CameraControls, 'list' | 'set'> | undefined;
  /** A JPEG of the camera's newest keyframe, or undefined when it has none. */
  snapshot(id: number): Promise<Uint8Array | undefined>;
  /** Enables or disables the camera; false when it does not exist. */
  setRecording(id: number, on: boolean): Promise<boolean>;
  /** Whether this node holds the camera's lease (several recorders: each publishes only its own cameras). */
  holds(id: number): boolean;
  /** Whether this node speaks for the cameras no node holds (disabled ones) and clears deleted ones: the live node with the smallest id. */
  leads(): boolean;
}

export interface MqttPublisherOptions {
  settings: MqttSettings;
  /** The API's base URL for clip and snapshot URLs (API_PUBLIC_URL, default http://<API_HOST>:<API_PORT>). */
  apiBaseUrl: string;
  view: MqttRecorderView;
  clock: RecorderClock;
  logger: Logger;
  /** How often camera states are compared with what was published (default 1 s). */
  statePollMs?: number;
  /** Default: MqttConnection to `settings.url` (a fake in unit tests). */
  connect?: (o: MqttConnectionOptions) => Pick<MqttConnection, 'publish' | 'close' | 'dropped' | 'connects'>;
}

/** What was last published for a camera, republished at each (re)connect and when Home Assistant restarts. */
interface CameraTopics {
  camera: StoredCamera;
  discovery: DiscoveryConfig[];
  state: CameraStateMessage | undefined;
  motion: 'ON' | 'OFF';
  snapshot: Uint8Array | undefined;
  controls: Map<ControlName, string>;
  /** Events announced as new and not yet ended. */
  open: Set<number>;
  /** Whether this node announced the camera since it became its own (a takeover announces it again). */
  announced: boolean;
}

/**
 * The recorder on MQTT (issue #16): Home Assistant discovery per camera, state, motion ON/OFF as the
 * detector opens and closes events, event JSON with clip and snapshot URLs once the event row exists, the
 * snapshot of each event's newest keyframe, and commands (recording on/off, snapshot request, camera
 * controls on the live session). Every publish goes through MqttConnection, which drops what it cannot
 * send: MQTT never slows or fails recording.
 *
 * With several recorders each node publishes, and takes commands for, only the cameras it holds the lease
 * of (plus, on the lead node, the disabled ones no node holds): one publisher per camera, and the new owner
 * announces a camera again on takeover. `<prefix>/available` is shared: see MqttConnection.
 */
export class MqttPublisher {
  readonly topics: MqttTopics;
  private readonly cameras = new Map<number, CameraTopics>();
  private connection: Pick<MqttConnection, 'publish' | 'close' | 'dropped' | 'connects'> | undefined;
  private poll: TimerHandle | undefined;
  private readonly log: Logger;
  private otherGoneAtMs: number | undefined;

  constructor(private readonly o: MqttPublisherOptions) {
    this.topics = new MqttTopics(o.settings.topicPrefix, o.settings.discoveryPrefix);
    this.log = o.logger.child({ component: 'mqtt' });
  }

  start(): void {
    const options: MqttConnectionOptions = {
      settings: this.o.settings,
      availabilityTopic: this.topics.available,
      subscriptions: [...this.topics.commandFilters, this.topics.haStatus],
      onConnect: () => this.republish(),
      onMessage: (topic, payload) => this.message(topic, payload.toString('utf8')),
      onOtherNodeGone: () => (this.otherGoneAtMs = this.o.clock.monotonicMs()),
      logger: this.o.logger,
    };
    this.connection = this.o.connect ? this.o.connect(options) : new MqttConnection(options);
    this.poll = this.o.clock.setInterval(() => this.publishStates(), this.o.statePollMs ?? 1000, { unref: true });
  }

  /** `lastNode`: no other recorder is live, so `<prefix>/available` goes `offline` (otherwise it stays `online`). */
  async stop(opts: { lastNode: boolean } = { lastNode: true }): Promise<void> {
    this.poll?.cancel();
    await this.connection?.close(opts);
  }

  /** When (monotonic ms) another recorder's last will was last read; undefined if never. */
  get otherNodeGoneAtMs(): number | undefined {
    return this.otherGoneAtMs;
  }

  /** Messages dropped while the broker was away, and connects so far. */
  get stats(): { dropped: number; connects: number } {
    return { dropped: this.connection?.dropped ?? 0, connects: this.connection?.connects ?? 0 };
  }

  /**
   * Every camera row after a sync: cameras that became this node's (new, or taken over) are announced, renamed
   * ones announced again, deleted ones cleared (by the lead node), recording states follow `enabled`. Rows of
   * other nodes' cameras are only kept, to know them when they come here.
   */
  cameraRows(rows: readonly StoredCamera[]): void {
    const present = new Set(rows.map((r) => r.id));
    for (const [id, t] of [...this.cameras]) if (!present.has(id)) this.removed(id, t);
    for (const row of rows) {
      const t = this.cameras.get(row.id);
      const mine = this.mine(row);
      if (!t || t.camera.name !== row.name || t.camera.model !== row.model) {
        const discovery = discoveryConfigs(row, this.topics);
        this.cameras.set(row.id, t ? { ...t, camera: row, discovery, announced: false } : { camera: row, discovery, state: undefined, motion: 'OFF', snapshot: undefined, controls: new Map(), open: new Set(), announced: false });
      }
      const c = this.cameras.get(row.id)!;
      const enabledChanged = c.camera.enabled !== row.enabled;
      c.camera = row;
      if (!mine) {
        c.announced = false;
        continue;
      }
      if (!c.announced) {
        c.announced = true;
        // Taken over: what the last owner published is replaced by what this node sees.
        c.state = undefined;
        for (const d of c.discovery) this.send(d.topic, JSON.stringify(d.payload), true);
        this.send(this.topics.motion(row.id), c.motion, true);
        this.send(this.topics.recording(row.id), row.enabled ? 'ON' : 'OFF', true);
      } else if (enabledChanged) this.send(this.topics.recording(row.id), row.enabled ? 'ON' : 'OFF', true);
    }
    this.publishStates();
  }

  /** Whether this node publishes the camera now: it holds its lease, or it is disabled (no one holds it) and this node leads. */
  private mine(row: StoredCamera): boolean {
    return this.o.view.holds(row.id) || (!row.enabled && this.o.view.leads());
  }

  /** Motion ON/OFF as the detector decides it, and the snapshot of the newest keyframe when it starts. */
  motion(t: MotionTransition): void {
    const id = t.event.cameraId;
    const c = this.cameras.get(id);
    const value = t.type === 'start' ? 'ON' : 'OFF';
    if (c) c.motion = value;
    if (!this.o.view.holds(id)) return;
    this.send(this.topics.motion(id), value, true);
    if (t.type === 'start') void this.publishSnapshot(id);
  }

  /** An event row written: `new` the first time it is seen, `end` once it has an end. */
  eventWritten(e: EventRecord, eventId: number): void {
    const c = this.cameras.get(e.cameraId);
    if (!c || !this.o.view.holds(e.cameraId)) return;
    const types: EventType[] = [];
    if (e.endUs === null) {
      if (!c.open.has(eventId)) types.push('new');
      else types.push('update');
      c.open.add(eventId);
    } else {
      if (!c.open.delete(eventId)) types.push('new'); // start and end written together (the database was slow)
      types.push('end');
    }
    for (const type of types) {
      const m = eventMessage(type, e, eventId, c.camera.name, this.o.apiBaseUrl);
      this.send(this.topics.events, JSON.stringify(m), false);
      this.send(this.topics.event(e.cameraId), JSON.stringify({ event_type: type, ...m.event }), false);
    }
  }

  /** Compares each camera's state with what was published and publishes what changed (retained). */
  private publishStates(): void {
    const nowUs = this.o.clock.nowUs();
    for (const [id, c] of this.cameras) {
      if (!c.announced || !this.mine(c.camera)) continue;
      const status = this.o.view.cameraStatus(id);
      const next = cameraStateOf(status, c.camera.enabled, c.state, nowUs);
      if (next === c.state) continue;
      const wasRecording = c.state?.state === 'recording';
      c.state = next;
      this.send(this.topics.state(id), JSON.stringify(next), true);
      if (next.state === 'recording' && !wasRecording) void this.readControls(id);
    }
  }

  /** The controls' values read from the camera once it records, so Home Assistant shows what the camera has. */
  private async readControls(id: number): Promise<void> {
    const c = this.cameras.get(id);
    const controls = this.o.view.controls(id);
    if (!c || !controls) return;
    const wanted = new Set(entityControls(c.camera.model));
    try {
      const view = await controls.list();
      for (const ctl of view.controls) if (wanted.has(ctl.name)) this.controlState(id, ctl.name, ctl.value);
    } catch (e) {
      this.log.debug({ cameraId: id, err: e instanceof Error ? e.message : String(e) }, 'camera controls not read for MQTT');
    }
  }

  private controlState(id: number, name: ControlName, value: unknown): void {
    const s = controlStateOf(name, value);
    const c = this.cameras.get(id);
    if (s === undefined || !c) return;
    c.controls.set(name, s);
    this.send(this.topics.control(id, name), s, true);
  }

  private async publishSnapshot(id: number): Promise<void> {
    try {
      const jpeg = await this.o.view.snapshot(id);
      const c = this.cameras.get(id);
      if (!jpeg || !c || !this.o.view.holds(id)) return;
      c.snapshot = jpeg;
      this.send(this.topics.snapshot(id), jpeg, true);
    } catch (e) {
      this.log.debug({ cameraId: id, err: e instanceof Error ? e.message : String(e) }, 'no snapshot for MQTT');
    }
  }

  private message(topic: string, payload: string): void {
    if (topic === this.topics.haStatus) {
      if (payload.trim() === 'online') {
        this.log.info('Home Assistant is online: discovery published again');
        this.republish();
      }
      return;
    }
    const cmd = this.topics.parseCommand(topic);
    const c = cmd && this.cameras.get(cmd.cameraId);
    // Every node gets every command: the camera's publisher alone acts on it.
    if (!cmd || !c || !this.mine(c.camera)) return;
    if (cmd.command === 'control') void this.setControl(cmd.cameraId, cmd.control, payload);
    else if (cmd.command === 'snapshot') void this.publishSnapshot(cmd.cameraId);
    else void this.setRecording(cmd.cameraId, payload.trim());
  }

  private async setRecording(id: number, payload: string): Promise<void> {
    if (payload !== 'ON' && payload !== 'OFF') {
      this.log.warn({ cameraId: id, payload: payload.slice(0, 20) }, 'recording/set takes ON or OFF');
      return;
    }
    try {
      if (await this.o.view.setRecording(id, payload === 'ON')) this.log.info({ cameraId: id, recording: payload }, `camera ${payload === 'ON' ? 'enabled' : 'disabled'} over MQTT`);
    } catch (e) {
      this.log.warn({ cameraId: id, err: e instanceof Error ? e.message : String(e) }, 'recording/set failed');
    }
  }

  private async setControl(id: number, name: string, payload: string): Promise<void> {
    const c = this.cameras.get(id)!;
    const controls = this.o.view.controls(id);
    if (!isControlName(name) || !entityControls(c.camera.model).includes(name)) {
      this.log.warn({ cameraId: id, control: name }, `a ${c.camera.model} has no ${name} control on MQTT`);
      return;
    }
    if (!controls) {
      this.log.warn({ cameraId: id, control: name }, 'control command for a camera that is not running here');
      return;
    }
    try {
      const r = await controls.set(name, controlValueOf(name, payload));
      this.controlState(id, name, r.value);
    } catch (e) {
      this.log.warn({ cameraId: id, control: name, err: e instanceof Error ? e.message : String(e) }, `MQTT control ${name} not set`);
      // Home Assistant shows what it asked for; put the last known value back.
      const last = c.controls.get(name);
      if (last !== undefined) this.send(this.topics.control(id, name), last, true);
    }
  }

  /** A deleted camera: empty retained configs remove its entities; its retained topics are cleared (once, by the lead node). */
  private removed(id: number, t: CameraTopics): void {
    this.cameras.delete(id);
    if (!this.o.view.leads()) return;
    for (const d of t.discovery) this.send(d.topic, '', true);
    const controls = entityControls(t.camera.model).map((n) => this.topics.control(id, n));
    for (const topic of [this.topics.state(id), this.topics.motion(id), this.topics.snapshot(id), this.topics.recording(id), ...controls]) this.send(topic, '', true);
    this.log.info({ cameraId: id }, 'camera deleted: its Home Assistant entities were removed');
  }

  /** Everything retained, as it is now: after a (re)connect, and when Home Assistant comes online. */
  private republish(): void {
    for (const [id, c] of this.cameras) {
      if (!c.announced || !this.mine(c.camera)) continue;
      for (const d of c.discovery) this.send(d.topic, JSON.stringify(d.payload), true);
      if (c.state) this.send(this.topics.state(id), JSON.stringify(c.state), true);
      this.send(this.topics.motion(id), c.motion, true);
      this.send(this.topics.recording(id), c.camera.enabled ? 'ON' : 'OFF', true);
      for (const [name, v] of c.controls) this.send(this.topics.control(id, name), v, true);
      if (c.snapshot) this.send(this.topics.snapshot(id), c.snapshot, true);
    }
  }

  private send(topic: string, payload: string | Uint8Array, retain: boolean): void {
    this.connection?.publish(topic, payload, { retain, qos: retain ? 1 : 0 });
  }
}
