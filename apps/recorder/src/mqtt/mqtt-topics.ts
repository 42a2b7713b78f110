/**
 * Every topic the recorder publishes or listens to. A camera's topics are under its id (`<prefix>/<id>/…`):
 * ids never change, while names are renamed and need not be unique.
 */
export class MqttTopics {
  /** Home Assistant's node id for this installation's cameras: the prefix with what a node id may not hold replaced. */
  private readonly node: string;

  constructor(
    readonly prefix: string,
    readonly discoveryPrefix: string,
  ) {
    this.node = prefix.replace(/[^a-zA-Z0-9_-]/g, '_');
  }

  /** `online` / `offline` (the last will), retained. */
  get available(): string {
    return `${this.prefix}/available`;
  }

  /** Event JSON of every camera: {type: new|update|end, event}. */
  get events(): string {
    return `${this.prefix}/events`;
  }

  /** Home Assistant says `online` here when it (re)starts: discovery is published again. */
  get haStatus(): string {
    return `${this.discoveryPrefix}/status`;
  }

  camera(id: number): string {
    return `${this.prefix}/${id}`;
  }

  state(id: number): string {
    return `${this.camera(id)}/state`;
  }

  motion(id: number): string {
    return `${this.camera(id)}/motion`;
  }

  /** The camera's own event stream, in Home Assistant's event entity form ({event_type, …}). */
  event(id: number): string {
    return `${this.camera(id)}/event`;
  }

  snapshot(id: number): string {
    return `${this.camera(id)}/snapshot`;
  }

  /** Any message here publishes a fresh snapshot. */
  snapshotRequest(id: number): string {
    return `${this.camera(id)}/snapshot/get`;
  }

  recording(id: number): string {
    return `${this.camera(id)}/recording`;
  }

  recordingSet(id: number): string {
    return `${this.camera(id)}/recording/set`;
  }

  control(id: number, name: string): string {
    return `${this.camera(id)}/control/${name}`;
  }

  controlSet(id: number, name: string): string {
    return `${this.control(id, name)}/set`;
  }

  /** Subscriptions for every command of every camera. */
  get commandFilters(): string[] {
    return [`${this.prefix}/+/recording/set`, `${this.prefix}/+/snapshot/get`, `${this.prefix}/+/control/+/set`];
  }

  /** Home Assistant's object id prefix for one camera's entities, unique per installation (prefix) and camera. */
  nodeId(id: number): string {
    return `${this.node}_cam${id}`;
  }

  /** `<discovery prefix>/<component>/<node id>/<object id>/config`. */
  discovery(component: string, id: number, objectId: string): string {
    return `${this.discoveryPrefix}/${component}/${this.nodeId(id)}/${objectId}/config`;
  }

  /** Which command a topic is: the camera and what is asked, or undefined for a topic that is none of ours. */
  parseCommand(topic: string): { cameraId: number; command: 'recording' | 'snapshot' } | { cameraId: number; command: 'control'; control: string } | undefined {
    if (!topic.startsWith(`${this.prefix}/`)) return undefined;
    const m = /^(\d{1,9})\/(?:(recording)\/set|(snapshot)\/get|control\/([a-z0-9-]{1,40})\/set)$/.exec(topic.slice(this.prefix.length + 1));
    if (!m) return undefined;
    const cameraId = Number(m[1]);
    if (m[2]) return { cameraId, command: 'recording' };
    if (m[3]) return { cameraId, command: 'snapshot' };
    return { cameraId, command: 'control', control: m[4] };
  }
}
