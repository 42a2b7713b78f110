/**
 * Home Assistant MQTT discovery for one camera: one device with its entities, each a retained config at
 * `<discovery prefix>/<component>/<node id>/<object id>/config` (Home Assistant's "MQTT Discovery" docs; the
 * keys are the MQTT integration's documented ones). All entities are available while `<prefix>/available`
 * says `online`.
 */
import { CONTROL_SPECS, controlsOf, type ControlName } from '@wyze-nvr/tutk';
import type { MqttTopics } from './mqtt-topics';

export interface DiscoveredCamera {
  id: number;
  name: string;
  model: string;
}

export interface DiscoveryConfig {
  topic: string;
  /** Home Assistant's platform (binary_sensor, image, …). */
  component: string;
  payload: Record<string, unknown>;
}

/** PTZ steps, one button each, with the payload the ptz command topic takes. */
export const PTZ_BUTTONS = ['left', 'right', 'up', 'down'] as const;

/** Controls that become an entity (the others — time zone, video info, cruise points — stay in the API). */
const ENTITY_CONTROLS: readonly ControlName[] = ['night-vision', 'ir-led', 'status-light', 'siren', 'spotlight', 'floodlight', 'pan-scan', 'motion-tracking', 'camera-time', 'ptz'];

const TITLES: Partial<Record<ControlName, string>> = {
  'night-vision': 'Night vision',
  'ir-led': 'IR light',
  'status-light': 'Status light',
  siren: 'Siren',
  spotlight: 'Spotlight',
  floodlight: 'Floodlight',
  'pan-scan': 'Pan scan',
  'motion-tracking': 'Motion tracking',
};

const ICONS: Partial<Record<ControlName, string>> = {
  'night-vision': 'mdi:weather-night',
  'ir-led': 'mdi:lightbulb-night',
  'status-light': 'mdi:led-on',
  siren: 'mdi:alarm-light',
  spotlight: 'mdi:spotlight-beam',
  floodlight: 'mdi:light-flood-down',
  'pan-scan': 'mdi:pan-horizontal',
  'motion-tracking': 'mdi:motion-sensor',
};

/** The controls of `model` that get an entity. */
export function entityControls(model: string): ControlName[] {
  const has = new Set(controlsOf(model));
  return ENTITY_CONTROLS.filter((c) => has.has(c));
}

/** Every discovery config of a camera: motion, snapshot, state, recording, events, and its model's controls. */
export function discoveryConfigs(cam: DiscoveredCamera, topics: MqttTopics): DiscoveryConfig[] {
  const node = topics.nodeId(cam.id);
  const common = {
    availability: [{ topic: topics.available, payload_available: 'online', payload_not_available: 'offline' }],
    device: { identifiers: [node], name: cam.name, manufacturer: 'Wyze', model: cam.model },
    origin: { name: 'wyze-nvr' },
  };
  const out: DiscoveryConfig[] = [];
  const add = (component: string, objectId: string, entity: Record<string, unknown>): void => {
    out.push({ topic: topics.discovery(component, cam.id, objectId), component, payload: { ...entity, unique_id: `${node}_${objectId}`, object_id: `${node}_${objectId}`, ...common } });
  };
  add('binary_sensor', 'motion', { name: 'Motion', device_class: 'motion', state_topic: topics.motion(cam.id), payload_on: 'ON', payload_off: 'OFF' });
  add('image', 'snapshot', { name: 'Snapshot', image_topic: topics.snapshot(cam.id), content_type: 'image/jpeg' });
  add('sensor', 'state', {
    name: 'State',
    icon: 'mdi:cctv',
    state_topic: topics.state(cam.id),
    value_template: '{{ value_json.state }}',
    json_attributes_topic: topics.state(cam.id),
  });
  add('switch', 'recording', { name: 'Recording', icon: 'mdi:record-rec', command_topic: topics.recordingSet(cam.id), state_topic: topics.recording(cam.id), payload_on: 'ON', payload_off: 'OFF' });
  add('event', 'motion_event', { name: 'Motion event', device_class: 'motion', state_topic: topics.event(cam.id), event_types: ['new', 'update', 'end'] });
  for (const name of entityControls(cam.model)) {
    const spec = CONTROL_SPECS[name];
    const object = name.replace(/-/g, '_');
    if (name === 'ptz') {
      for (const dir of PTZ_BUTTONS) add('button', `ptz_${dir}`, { name: `Pan/tilt ${dir}`, icon: `mdi:arrow-${dir}-bold`, command_topic: topics.controlSet(cam.id, name), payload_press: dir });
    } else if (name === 'camera-time') {
      add('button', 'sync_clock', { name: 'Set camera clock', icon: 'mdi:clock-check', entity_category: 'config', command_topic: topics.controlSet(cam.id, name), payload_press: 'now' });
    } else if (spec.kind === 'select') {
      add('select', object, { name: TITLES[name], icon: ICONS[name], entity_category: 'config', command_topic: topics.controlSet(cam.id, name), state_topic: topics.control(cam.id, name), options: spec.options });
    } else if (spec.kind === 'switch') {
      const entity: Record<string, unknown> = { name: TITLES[name], icon: ICONS[name], command_topic: topics.controlSet(cam.id, name), payload_on: 'ON', payload_off: 'OFF' };
      // A control the camera cannot be asked about (the floodlight) shows the last value set (optimistic).
      if (spec.read) entity.state_topic = topics.control(cam.id, name);
      else entity.optimistic = true;
      add('switch', object, entity);
    }
  }
  return out;
}

/** A command payload as the control's API value: ON/OFF for switches, the option for selects, the move for PTZ. */
export function controlValueOf(name: ControlName, payload: string): unknown {
  const spec = CONTROL_SPECS[name];
  const p = payload.trim();
  if (spec.kind === 'switch') return p === 'ON' ? true : p === 'OFF' ? false : p;
  if (name === 'ptz') return { action: 'step', direction: p };
  if (name === 'camera-time') return p === 'now' ? 'now' : p;
  return p;
}

/** A control's value as its state topic carries it (undefined: nothing to publish). */
export function controlStateOf(name: ControlName, value: unknown): string | undefined {
  const spec = CONTROL_SPECS[name];
  if (spec.kind === 'switch' && typeof value === 'boolean') return value ? 'ON' : 'OFF';
  if (spec.kind === 'select' && typeof value === 'string') return value;
  return undefined;
}
