// A stand-in for the Wyze auth and API hosts (FACTS §12), for tests: one node:http server on 127.0.0.1
// answering both hosts' paths with payloads shaped like the real ones. Every credential is made up.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { totp } from '@wyze-nvr/wyze-cloud';

export const PATHS = {
  login: '/api/user/login',
  sms: '/user/login/sendSmsCode',
  devices: '/app/v2/home_page/get_object_list',
  refresh: '/app/user/refresh_token',
} as const;
export type FakePath = keyof typeof PATHS;

/** What the next request(s) to a path get instead of their normal answer. */
/** `refused`: a JSON error reply with the cloud's own code and message. */
export type FakeFault = 'rate-limit' | 'waf' | 'malformed' | 'wrong-shape' | 'refused';

export type FakeMfa = 'none' | 'totp' | 'sms' | 'totp+sms';

export interface FakeAccount {
  email: string;
  /** The plain password; the fake expects its triple MD5. */
  password: string;
  apiKeyId: string;
  apiKey: string;
  userId: string;
  mfa: FakeMfa;
  /** Base32. */
  totpSecret: string;
  totpAppId: string;
  smsCode: string;
}

/** One device_list entry as the cloud sends it (FACTS §12.2), with the fields the NVR reads and a few it ignores. */
export interface FakeDevice {
  mac: string;
  enr: string;
  nickname: string;
  product_model: string;
  product_type: string;
  firmware_ver: string;
  conn_state: number;
  device_params: { p2p_id?: string; p2p_type?: number; ip?: string; dtls?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const tripleMd5 = (s: string) => md5(md5(md5(s)));
/** ENR-shaped (16 printable characters), random per fake so tests can look for it anywhere. */
const fakeEnr = () => `Fk${randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'q').slice(0, 12)}+/`;

/** Obviously fake credentials; a new random API key per fake. */
export function fakeAccount(over: Partial<FakeAccount> = {}): FakeAccount {
  return {
    email: 'nvr-tester@example.invalid',
    password: `not-a-real-password-${randomBytes(4).toString('hex')}`,
    apiKeyId: `00000000-fake-key0-id00-${randomBytes(6).toString('hex')}`,
    apiKey: `FAKEapikey${randomBytes(20).toString('hex')}`,
    userId: 'fake-user-0001',
    mfa: 'none',
    totpSecret: 'JBSWY3DPEHPK3PXPFAKEFAKEFAKEFAKE',
    totpAppId: 'fake-totp-app-1',
    smsCode: '246810',
    ...over,
  };
}

/**
 * The default account: the models the NVR supports (Cam v3, v4, Doorbell v2), a DTLS model nobody has
 * tested (Pan v3), a Gwell camera without an IP, a camera on firmware without DTLS, and a plug.
 */
export function defaultDevices(): FakeDevice[] {
  const camera = (mac: string, nickname: string, model: string, ip: string, dtls: number, firmware: string, uidSuffix: string): FakeDevice => ({
    mac,
    enr: fakeEnr(),
    nickname,
    product_model: model,
    product_type: 'Camera',
    firmware_ver: firmware,
    conn_state: 1,
    hardware_ver: '0.0.0.0',
    parent_device_mac: '',
    parent_device_enr: '',
    timezone_name: 'Etc/UTC',
    device_params: {
      p2p_id: `FAKEP2PUID${uidSuffix}`.padEnd(20, '0').slice(0, 20),
      p2p_type: 4,
      ip,
      dtls,
      camera_thumbnails: { thumbnails_url: 'https://example.invalid/thumb.jpg', thumbnails_ts: 0 },
      power_switch: 1,
    },
  });
  return [
    camera('2CAA8E0000A1', 'Porch', 'WYZE_CAKP2JFUS', '192.168.1.21', 1, '4.36.11.8391', 'A1'),
    camera('2CAA8E0000A2', 'Garage', 'HL_CAM4', '192.168.1.22', 1, '4.52.9.4188', 'A2'),
    camera('2CAA8E0000A3', 'Front door', 'WYZEDB3', '192.168.1.23', 1, '4.25.1.333', 'A3'),
    camera('2CAA8E0000A4', 'Yard pan', 'HL_PAN3', '192.168.1.24', 1, '4.50.4.9222', 'A4'),
    { ...camera('2CAA8E0000A5', 'Nursery', 'GW_GC1', '', 0, '1.0.26', 'A5'), device_params: { p2p_type: 0, camera_thumbnails: {} } },
    camera('2CAA8E0000A6', 'Old shed', 'WYZEC1-JZ', '192.168.1.26', 0, '4.9.8.1002', 'A6'),
    {
      mac: '2CAA8E0000B1',
      enr: '',
      nickname: 'Lamp plug',
      product_model: 'WLPP1CFH',
      product_type: 'Plug',
      firmware_ver: '1.2.0.1',
      conn_state: 1,
      device_params: { switch_state: 0 },
    },
  ];
}

/** The fake cloud. Change `account`, `devices`, `retryAfter` at will between requests. */
export class FakeWyzeCloud {
  account: FakeAccount;
  devices: FakeDevice[];
  /** Sent with every 429. */
  retryAfter = '0';
  readonly requests: RecordedRequest[] = [];
  /** Every token the fake has issued, for "appears nowhere" checks. */
  readonly issuedTokens: string[] = [];

  private server: Server | undefined;
  private readonly faults = new Map<string, FakeFault[]>();
  private readonly validAccess = new Set<string>();
  private readonly validRefresh = new Set<string>();
  private smsSessions = new Set<string>();
  url = '';

  constructor(opts: { account?: Partial<FakeAccount>; devices?: FakeDevice[] } = {}) {
    this.account = fakeAccount(opts.account);
    this.devices = opts.devices ?? defaultDevices();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` requests to `path` get `fault`. */
  failNext(path: FakePath, fault: FakeFault, times = 1): void {
    const q = this.faults.get(PATHS[path]) ?? [];
    for (let i = 0; i < times; i++) q.push(fault);
    this.faults.set(PATHS[path], q);
  }

  /** Every access token issued so far now gets the expired-token reply; refresh tokens stay good. */
  expireAccessTokens(): void {
    this.validAccess.clear();
  }

  /** Refresh tokens stop working too: only a new login helps. */
  revokeSession(): void {
    this.validAccess.clear();
    this.validRefresh.clear();
  }

  count(path: FakePath): number {
    return this.requests.filter((r) => r.path === PATHS[path]).length;
  }

  device(mac: string): FakeDevice {
    const d = this.devices.find((x) => x.mac === mac);
    if (!d) throw new Error(`fake has no device ${mac}`);
    return d;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });

    const fault = this.faults.get(url.pathname)?.shift();
    if (fault) return this.sendFault(res, fault);
    if (req.method !== 'POST') return send(res, 405, { code: '405', msg: 'MethodNotAllowed' });

    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    switch (url.pathname) {
      case PATHS.login:
        return this.login(req, res, b);
      case PATHS.sms:
        return this.sendSms(res, url.searchParams);
      case PATHS.devices:
        return this.deviceList(res, b);
      case PATHS.refresh:
        return this.refresh(res, b);
      default:
        return send(res, 404, { code: '404', msg: 'NotFound' });
    }
  }

  private sendFault(res: ServerResponse, fault: FakeFault): void {
    switch (fault) {
      case 'rate-limit':
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': this.retryAfter });
        res.end('{"message":"Too Many Requests"}');
        return;
      case 'waf':
        res.writeHead(403, { 'Content-Type': 'text/html' });
        res.end('<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>Request blocked by the web application firewall.</p></body></html>');
        return;
      case 'malformed':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"code":"1","msg":"","data":{"device_list":[{"mac":"2CAA8E');
        return;
      case 'refused':
        return send(res, 400, { code: '3044', msg: 'TooManyRequestsForThisPhone' });
      case 'wrong-shape':
        return send(res, 200, { code: '1', msg: '', data: { device_list: 'not a list' } });
    }
  }

  private login(req: IncomingMessage, res: ServerResponse, b: Record<string, unknown>): void {
    const a = this.account;
    if (req.headers['keyid'] !== a.apiKeyId || req.headers['apikey'] !== a.apiKey) {
      return send(res, 401, { code: '1001', msg: 'Invalid ApiKey or KeyId' });
    }
    if (b.email !== a.email || b.password !== tripleMd5(a.password)) {
      return send(res, 400, { code: '1000', msg: 'UserNameOrPasswordError' });
    }
    if (a.mfa === 'none') return send(res, 200, this.issue());

    if (b.mfa_type === undefined) {
      const options = { totp: ['TotpVerificationCode'], sms: ['PrimaryPhone'], 'totp+sms': ['TotpVerificationCode', 'PrimaryPhone'] }[a.mfa];
      return send(res, 200, {
        access_token: '',
        refresh_token: '',
        user_id: a.userId,
        mfa_options: options,
        mfa_details: options.includes('TotpVerificationCode') ? { totp_apps: [{ app_id: a.totpAppId, app_name: 'Authenticator' }] } : {},
        sms_session_id: options.includes('PrimaryPhone') ? 'fake-sms-session-1' : '',
        email_session_id: '',
      });
    }
    const accepted =
      (b.mfa_type === 'TotpVerificationCode' && a.mfa.includes('totp') && b.verification_id === a.totpAppId && this.totpMatches(String(b.verification_code))) ||
      (b.mfa_type === 'PrimaryPhone' && a.mfa.includes('sms') && this.smsSessions.has(String(b.verification_id)) && b.verification_code === a.smsCode);
    if (!accepted) return send(res, 400, { code: '1006', msg: 'VerificationCodeError' });
    return send(res, 200, this.issue());
  }

  /** The current step and the one before, as authenticator-accepting servers do for clock skew. */
  private totpMatches(code: string): boolean {
    const now = Date.now();
    return [now, now - 30_000].some((t) => totp(this.account.totpSecret, { timeMs: t }) === code);
  }

  private sendSms(res: ServerResponse, q: URLSearchParams): void {
    if (q.get('sessionId') !== 'fake-sms-session-1' || q.get('userId') !== this.account.userId || q.get('mfaPhoneType') !== 'Primary') {
      return send(res, 400, { code: '1002', msg: 'InvalidParameter' });
    }
    const session = `fake-sms-verify-${randomBytes(4).toString('hex')}`;
    this.smsSessions.add(session);
    return send(res, 200, { session_id: session });
  }

  private deviceList(res: ServerResponse, b: Record<string, unknown>): void {
    const shapeOk = typeof b.phone_id === 'string' && /^[0-9a-f]{16}$/.test(b.phone_id) && b.app_name === 'com.hualai.WyzeCam' && typeof b.ts === 'number' && b.sc && b.sv;
    if (!shapeOk) return send(res, 200, { code: '1002', msg: 'InvalidParameter', data: {} });
    if (typeof b.access_token !== 'string' || !this.validAccess.has(b.access_token)) {
      return send(res, 200, { code: '2001', msg: 'AccessTokenError', data: {} });
    }
    return send(res, 200, {
      code: '1',
      ts: Date.now(),
      msg: 'SUCCESS',
      data: { device_list: this.devices, device_group_list: [], device_sort_list: [] },
      traceId: randomBytes(16).toString('hex'),
    });
  }

  private refresh(res: ServerResponse, b: Record<string, unknown>): void {
    if (typeof b.refresh_token !== 'string' || !this.validRefresh.has(b.refresh_token)) {
      return send(res, 200, { code: '2001', msg: 'RefreshTokenError', data: {} });
    }
    this.validRefresh.delete(b.refresh_token);
    const t = this.issue();
    return send(res, 200, { code: '1', msg: 'SUCCESS', data: { access_token: t.access_token, refresh_token: t.refresh_token } });
  }

  private issue() {
    const access_token = `fakeAT.${randomBytes(24).toString('base64url')}`;
    const refresh_token = `fakeRT.${randomBytes(24).toString('base64url')}`;
    this.validAccess.add(access_token);
    this.validRefresh.add(refresh_token);
    this.issuedTokens.push(access_token, refresh_token);
    return { access_token, refresh_token, user_id: this.account.userId, mfa_options: null, sms_session_id: '', email_session_id: '' };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
