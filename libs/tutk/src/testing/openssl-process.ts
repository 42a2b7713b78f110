import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';

/** An `openssl s_server`/`s_client` child for interop tests: output is collected, and kill() always ends it. */
export class OpensslProcess {
  output = '';
  exitCode: number | null | undefined;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;

  constructor(args: string[]) {
    // stdin stays an open pipe: s_server and s_client stop when it reaches EOF.
    this.child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('latin1')));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString('latin1')));
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        this.exitCode = code;
        resolve();
      });
      this.child.on('error', () => {
        this.exitCode = -1;
        resolve();
      });
    });
  }

  write(line: string): void {
    this.child.stdin.write(line);
  }

  /** Resolves when the output matches, rejects (with the output so far) after `ms`. */
  async waitFor(re: RegExp, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!re.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`openssl never printed ${re}; output:\n${this.output}`);
      if (this.exitCode !== undefined) throw new Error(`openssl exited (${this.exitCode}) before printing ${re}; output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async waitExit(ms = 5000): Promise<number | null | undefined> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
    return this.exitCode;
  }

  async kill(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    if ((await this.waitExit(1000)) === undefined) {
      this.child.kill('SIGKILL');
      await this.waitExit(1000);
    }
  }
}

/** A UDP port nobody holds right now (bound and released; the tiny race is acceptable in tests). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function boundSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s;
}
