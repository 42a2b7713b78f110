import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { resolveSecretKey, type AppConfig } from '@wyze-nvr/config';
import { createLogger, registerSecret, type Logger } from '@wyze-nvr/log';
import {
  CloudAccountService,
  CloudImportService,
  FileCloudSessionStore,
  TotpSecretError,
  WyzeCloudClient,
  WyzeCloudError,
  readCloudStatus,
  type ImportEntry,
  type ImportPlan,
  type MfaMethod,
  type MfaResponder,
} from '@wyze-nvr/wyze-cloud';
import { type Command, loadConfigOrReport, openRuntime, UsageError } from '@wyze-nvr/runtime';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Env = Record<string, string | undefined>;

const SUBCOMMANDS = ['login', 'import', 'status', 'logout'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
const MFA_METHODS: readonly MfaMethod[] = ['totp', 'sms', 'email'];
/** Below this many cameras the table says it all; above, a line per camera shows the import moving. */
const PROGRESS_LINES_FROM = 10;

export const cloudCommand: Command = {
  name: 'cloud',
  summary: 'Wyze account: `login` (stores the session encrypted), `import [--dry-run]` cameras, `status`, `logout`',
  usage: 'login|import|status|logout [--email E] [--mfa totp|sms|email] [--dry-run] [--cloud-url URL]',
  positionals: true,
  options: {
    email: { type: 'string' },
    mfa: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'cloud-url': { type: 'string' },
    'auth-url': { type: 'string' },
    'api-url': { type: 'string' },
  },
  async run(values, positionals) {
    const sub = parseSubcommand(positionals);
    const config = loadConfigOrReport('cloud', process.env);
    if (!config) return 1;
    const env = process.env;
    for (const name of ['WYZE_PASSWORD', 'WYZE_API_KEY_ID', 'WYZE_API_KEY', 'WYZE_TOTP_SECRET']) {
      if (env[name]) registerSecret(env[name]!);
    }
    try {
      switch (sub) {
        case 'login':
          return await login(config, values, env);
        case 'import':
          return await runImport(config, values, env);
        case 'status':
          return await status(config);
        case 'logout':
          await sessionStore(config).clear();
          process.stderr.write('Wyze session removed.\n');
          return 0;
      }
    } catch (e) {
      if (e instanceof WyzeCloudError) {
        process.stderr.write(`wyze-nvr cloud ${sub}: ${e.message}\n`);
        return 1;
      }
      if (e instanceof TotpSecretError || e instanceof PromptClosedError) {
        process.stderr.write(`wyze-nvr cloud ${sub}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};

function parseSubcommand(positionals: string[]): Subcommand {
  if (positionals.length !== 1 || !(SUBCOMMANDS as readonly string[]).includes(positionals[0])) {
    throw new UsageError(`expected one of ${SUBCOMMANDS.join(', ')}${positionals.length ? `, got "${positionals.join(' ')}"` : ''}`);
  }
  return positionals[0] as Subcommand;
}

function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** --auth-url/--api-url, else --cloud-url for both, else WYZE_AUTH_URL/WYZE_API_URL, else production. */
function cloudClient(values: Values, env: Env): WyzeCloudClient {
  const both = stringOption(values, 'cloud-url');
  const authUrl = stringOption(values, 'auth-url') ?? both ?? (env.WYZE_AUTH_URL || undefined);
  const apiUrl = stringOption(values, 'api-url') ?? both ?? (env.WYZE_API_URL || undefined);
  for (const [flag, url] of [['auth', authUrl], ['api', apiUrl]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`the ${flag} URL must be an http(s) URL`);
  }
  return new WyzeCloudClient({ authUrl, apiUrl });
}

function sessionStore(config: AppConfig): FileCloudSessionStore {
  const key = resolveSecretKey(config);
  registerSecret(Buffer.from(key).toString('hex'));
  return new FileCloudSessionStore(config.dataDir, key);
}

function cloudLogger(config: AppConfig): Logger {
  return createLogger({ name: 'cloud', level: config.logLevel });
}

async function login(config: AppConfig, values: Values, env: Env): Promise<number> {
  const mfaChoice = stringOption(values, 'mfa');
  if (mfaChoice !== undefined && !(MFA_METHODS as readonly string[]).includes(mfaChoice)) {
    throw new UsageError(`--mfa must be one of ${MFA_METHODS.join(', ')}`);
  }
  const client = cloudClient(values, env);
  const store = sessionStore(config);
  const prompt = new Prompter();
  try {
    const email = stringOption(values, 'email') ?? (env.WYZE_EMAIL || (await prompt.ask('Wyze e-mail: ')));
    const password = env.WYZE_PASSWORD || (await prompt.ask('Wyze password: ', { hidden: true }));
    const apiKeyId = env.WYZE_API_KEY_ID || (await prompt.ask('API key id (developer portal): ', { hidden: true }));
    const apiKey = env.WYZE_API_KEY || (await prompt.ask('API key: ', { hidden: true }));
    for (const s of [password, apiKeyId, apiKey]) registerSecret(s);
    if (!email.trim() || !password || !apiKeyId.trim() || !apiKey.trim()) {
      throw new UsageError('the e-mail, password, API key id and API key are all needed');
    }

    const mfa: MfaResponder = {
      choose: (offered) => {
        if (mfaChoice === undefined) return offered[0];
        if (!offered.includes(mfaChoice as MfaMethod)) {
          throw new WyzeCloudError('mfa-required', `the account does not offer ${mfaChoice}; it offers ${offered.join(', ')}`);
        }
        return mfaChoice as MfaMethod;
      },
      code: (method) => {
        const where = { totp: 'from your authenticator app', sms: 'sent by SMS', email: 'sent by e-mail' }[method];
        process.stderr.write(`The Wyze account asks for a second factor.\n`);
        return prompt.ask(`Verification code ${where}: `);
      },
    };
    const account = new CloudAccountService({ client, sessions: store, logger: cloudLogger(config) });
    const result = await account.login({ email, password, apiKeyId, apiKey, totpSecret: env.WYZE_TOTP_SECRET || undefined }, mfa);
    process.stderr.write(`Logged in to the Wyze cloud as ${result.email}. Session saved encrypted in ${store.path}.\n`);
    return 0;
  } finally {
    prompt.close();
  }
}

async function runImport(config: AppConfig, values: Values, env: Env): Promise<number> {
  const dryRun = values['dry-run'] === true;
  const client = cloudClient(values, env);
  const rt = await openRuntime('cloud', config);
  try {
    const service = new CloudImportService({
      dataSource: rt.dataSource,
      secretKey: rt.secretKey,
      client,
      sessions: new FileCloudSessionStore(config.dataDir, rt.secretKey),
      logger: rt.logger.child({ component: 'cloud-import' }),
    });
    const tty = process.stderr.isTTY === true;
    const plan = await service.import({
      dryRun,
      onProgress: ({ done, total, entry }) => {
        if (tty) process.stderr.write(`\r[${done}/${total}] ${entry.mac}${done === total ? '\n' : ''}`);
        else if (total >= PROGRESS_LINES_FROM) process.stderr.write(`[${done}/${total}] ${entry.mac} ${entry.action}\n`);
      },
    });
    process.stderr.write(formatPlan(plan));
    return 0;
  } finally {
    await rt.close();
  }
}

async function status(config: AppConfig): Promise<number> {
  const s = await readCloudStatus(sessionStore(config));
  const lines = s.loggedIn
    ? [
        `logged in as ${s.email} since ${s.loggedInAt}${s.refreshedAt ? `, session renewed ${s.refreshedAt}` : ''}`,
        s.lastImport
          ? `last import ${s.lastImport.at}: ${s.lastImport.created} created, ${s.lastImport.updated} updated, ${s.lastImport.unchanged} unchanged, ${s.lastImport.skipped} skipped`
          : 'no import yet',
      ]
    : [`not logged in${s.problem ? `: ${s.problem}` : ''}`];
  process.stderr.write(lines.join('\n') + '\n');
  return s.loggedIn ? 0 : 1;
}

const ACTION_WORDS: Record<ImportEntry['action'], [string, string]> = {
  create: ['create', 'created'],
  update: ['update', 'updated'],
  unchanged: ['unchanged', 'unchanged'],
  skip: ['skip', 'skipped'],
};

/** The plan as a table. The ENR is only ever "changed", never a value: the plan does not hold it. */
export function formatPlan(plan: ImportPlan): string {
  const rows = plan.entries.map((e) => [
    ACTION_WORDS[e.action][plan.dryRun ? 0 : 1],
    e.mac,
    e.name,
    e.model,
    e.support,
    describeEntry(e),
  ]);
  const header = ['ACTION', 'MAC', 'NAME', 'MODEL', 'SUPPORT', 'DETAILS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const c = plan.counts;
  const summary = plan.dryRun
    ? `Dry run: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.skip} skipped. Nothing was written.`
    : `${c.create} created, ${c.update} updated, ${c.unchanged} unchanged, ${c.skip} skipped.`;
  const other = plan.otherDevices ? ` ${plan.otherDevices} other device(s) (not cameras) ignored.` : '';
  return [line(header), ...rows.map(line), '', summary + other, ''].join('\n');
}

function describeEntry(e: ImportEntry): string {
  switch (e.action) {
    case 'create':
      return [`new camera, enabled`, e.reason].filter(Boolean).join('; ');
    case 'update':
      return e.changes.map((ch) => (ch.field === 'enr' ? 'key (ENR) changed' : `${ch.field} ${show(ch.from)} → ${show(ch.to)}`)).join('; ');
    case 'unchanged':
      return e.reason ?? '';
    case 'skip':
      return e.reason ?? '';
  }
}

function show(v: string | boolean | null | undefined): string {
  return v === null || v === undefined || v === '' ? '(none)' : String(v);
}

class PromptClosedError extends Error {
  override readonly name = 'PromptClosedError';
}

/** Echo goes to stderr; muted while a hidden answer is typed. */
class MutableStderr extends Writable {
  muted = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.muted) process.stderr.write(chunk);
    cb();
  }
}

/**
 * Questions on stderr, answers from stdin. On a terminal the hidden answers are not echoed; from a
 * pipe (scripts, tests) each answer is the next line.
 */
class Prompter {
  private rl: Interface | undefined;
  private lines: AsyncIterator<string> | undefined;
  private readonly out = new MutableStderr();
  private readonly tty = process.stdin.isTTY === true;

  async ask(question: string, opts: { hidden?: boolean } = {}): Promise<string> {
    if (!this.rl) {
      this.rl = createInterface({ input: process.stdin, output: this.tty ? this.out : undefined, terminal: this.tty });
      // Created at once so lines piped in before a question is asked are kept for it.
      if (!this.tty) this.lines = this.rl[Symbol.asyncIterator]();
      this.rl.on('SIGINT', () => {
        this.close();
        process.stderr.write('\n');
        process.exit(130);
      });
    }
    if (!this.tty) {
      process.stderr.write(question);
      const next = await this.lines!.next();
      if (next.done) throw new PromptClosedError(`no answer on stdin for "${question.replace(/:\s*$/, '')}"; pass it as a flag or an environment variable`);
      // Nothing was echoed from a pipe: end the question's line ourselves.
      process.stderr.write('\n');
      return next.value.trim();
    }
    return new Promise<string>((resolve) => {
      this.rl!.question(question, (answer) => {
        if (opts.hidden) {
          this.out.muted = false;
          process.stderr.write('\n');
        }
        resolve(opts.hidden ? answer : answer.trim());
      });
      if (opts.hidden) this.out.muted = true;
    });
  }

  close(): void {
    this.rl?.close();
    this.rl = undefined;
  }
}
