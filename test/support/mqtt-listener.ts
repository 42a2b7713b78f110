// A test's MQTT client: every message on its filters, in order, with the time it arrived.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { eventually } from './eventually';

export const BROKER_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  atMs: number;
}

/** Topic prefixes of one test run, so runs (and checkouts) on one broker never see each other's messages. */
export function uniquePrefixes(): { prefix: string; discovery: string } {
  const tag = randomBytes(4).toString('hex');
  return { prefix: `wyze-nvr-test-${tag}`, discovery: `ha-test-${tag}` };
}

export class MqttListener {
  readonly messages: MqttMessage[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload, retain: packet.retain, atMs: Date.now() }));
  }

  static async connect(filters: string[], url = BROKER_URL, ca?: Buffer): Promise<MqttListener> {
    const client = await connectAsync(url, { reconnectPeriod: 200, connectTimeout: 5000, ca });
    const l = new MqttListener(client);
    await client.subscribeAsync(filters, { qos: 1 });
    return l;
  }

  on(topic: string): MqttMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  text(topic: string): string[] {
    return this.on(topic).map((m) => m.payload.toString('utf8'));
  }

  last(topic: string): string | undefined {
    return this.text(topic).at(-1);
  }

  async publish(topic: string, payload: string): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1 });
  }

  /** Waits for a message on `topic` that `match` accepts; resolves with it. */
  waitFor(topic: string, match: (payload: string) => boolean, timeoutMs: number, what: string): Promise<MqttMessage> {
    return eventually(() => this.on(topic).find((m) => match(m.payload.toString('utf8'))), timeoutMs, what);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * `mosquitto -p <port>` (anonymous, in memory), or with `tls` a TLS listener on the port with that CA, certificate
 * and key; resolved once it accepts connections.
 */
export async function startMosquitto(port: number, tls?: { dir: string; ca: string; cert: string; key: string }): Promise<ChildProcess> {
  let args = ['-p', String(port)];
  if (tls) {
    const conf = join(tls.dir, `mosquitto-${port}.conf`);
    writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`, ''].join('\n'));
    args = ['-c', conf];
  }
  const proc = spawn('mosquitto', args, { stdio: 'ignore' });
  await eventually(async () => {
    try {
      const c = await connectAsync(tls ? `mqtts://localhost:${port}` : `mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 1000, ca: tls ? readFileSync(tls.ca) : undefined });
      await c.endAsync(true);
      return true;
    } catch {
      return false;
    }
  }, 10_000, `mosquitto on port ${port}`);
  return proc;
}

export async function stopMosquitto(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  await exited;
}

/** A throw-away CA and a certificate for `localhost` signed by it (openssl), in a new directory under `parent`. */
export function makeTlsFiles(parent: string): { dir: string; ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(parent, 'tls-'));
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=wyze-nvr test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr')]);
  writeFileSync(f('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem')]);
  // mosquitto started as root reads its files as the mosquitto user.
  chmodSync(dir, 0o755);
  for (const n of ['ca.pem', 'server.pem', 'server.key']) chmodSync(f(n), 0o644);
  return { dir, ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}
