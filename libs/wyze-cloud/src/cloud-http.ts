import { WyzeCloudError } from './wyze-cloud.error';

/** The subset of global fetch the client uses, so tests can hand in their own. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface RetryPolicy {
  /** Total tries for one request, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled each time. */
  baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After says. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 });

export interface CloudHttpOptions {
  fetch?: FetchLike;
  /** Waits between retries; tests record the delays instead of waiting them. */
  sleep?: (ms: number) => Promise<void>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** For Retry-After given as an HTTP date. */
  now?: () => number;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * POSTs JSON and reads a JSON reply. 429 is retried with exponential back-off (never shorter than
 * Retry-After); a 403 that is not JSON is the firewall; a reply that is not JSON is a bad response.
 * Errors name the host and path only: query strings (session ids) and bodies (tokens) stay out.
 */
export class CloudHttp {
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(opts: CloudHttpOptions = {}) {
    this.fetch = opts.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.sleep = opts.sleep ?? defaultSleep;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    if (!(this.retry.attempts >= 1)) throw new RangeError('retry.attempts must be at least 1');
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.now = opts.now ?? Date.now;
  }

  async postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonReply> {
    const where = describeUrl(url);
    for (let attempt = 1; ; attempt++) {
      let res: Awaited<ReturnType<FetchLike>>;
      let text: string;
      try {
        res = await this.fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        const why = timedOut ? `no answer within ${this.timeoutMs} ms` : networkReason(e);
        throw new WyzeCloudError('cloud-unreachable', `cannot reach the Wyze cloud at ${where}: ${why}`, { cause: e });
      }

      if (res.status === 429) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
        if (attempt >= this.retry.attempts) {
          throw new WyzeCloudError(
            'rate-limited',
            `the Wyze cloud is rate-limiting requests (HTTP 429 at ${where}, ${attempt} attempts); wait ${retryAfter !== undefined ? `${retryAfter} s` : 'a few minutes'} and try again`,
            { status: 429, retryAfterSeconds: retryAfter },
          );
        }
        await this.sleep(backoffDelay(attempt, retryAfter, this.retry));
        continue;
      }

      const json = parseJson(text);
      if (res.status === 403 && json === undefined) {
        throw new WyzeCloudError(
          'blocked',
          `the Wyze firewall blocked the request to ${where} (HTTP 403). This happens after many logins in a short time or from an address ` +
            'it distrusts; wait an hour before trying again, check that the API key id and key are yours and current ' +
            '(developer portal), and avoid logging in repeatedly: wyze-nvr keeps and refreshes its session',
          { status: 403 },
        );
      }
      if (json === undefined) {
        throw new WyzeCloudError('bad-response', `the Wyze cloud answered ${where} with HTTP ${res.status} and a body that is not JSON`, { status: res.status });
      }
      return { status: res.status, body: json };
    }
  }
}

/** Delay before retry number `attempt` (1-based): base·2^(attempt−1), at least Retry-After, at most maxDelayMs. */
export function backoffDelay(attempt: number, retryAfterSeconds: number | undefined, policy: RetryPolicy): number {
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const asked = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
  return Math.min(policy.maxDelayMs, Math.max(exponential, asked));
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

function networkReason(e: unknown): string {
  // undici wraps the system error (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return e instanceof Error ? e.message : 'network error';
}
