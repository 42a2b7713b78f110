import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, CloudHttp, DEFAULT_RETRY, parseRetryAfter, type FetchLike } from './cloud-http';
import { WyzeCloudError } from './wyze-cloud.error';

type Answer = { status: number; body: string; headers?: Record<string, string> } | Error;

function scripted(answers: Answer[]): { fetch: FetchLike; calls: number } {
  const state = { calls: 0, fetch: undefined as unknown as FetchLike };
  state.fetch = async () => {
    const a = answers[Math.min(state.calls++, answers.length - 1)];
    if (a instanceof Error) throw a;
    const headers = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return { status: a.status, headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null }, text: async () => a.body };
  };
  return state;
}

function client(answers: Answer[], retry = {}) {
  const delays: number[] = [];
  const s = scripted(answers);
  const http = new CloudHttp({ fetch: s.fetch, sleep: async (ms) => void delays.push(ms), retry, now: () => Date.parse('2026-01-01T00:00:00Z') });
  return { http, delays, state: s };
}

describe('CloudHttp', () => {
  test('429 is retried with doubling delays, then the answer is returned', async () => {
    const c = client([{ status: 429, body: '' }, { status: 429, body: '' }, { status: 200, body: '{"code":"1"}' }], { baseDelayMs: 100 });
    const r = await c.http.postJson('http://127.0.0.1:1/x', {});
    assert.deepEqual(r, { status: 200, body: { code: '1' } });
    assert.deepEqual(c.delays, [100, 200]);
  });

  test('Retry-After longer than the back-off is honoured, in seconds or as a date', async () => {
    const c = client(
      [
        { status: 429, body: '', headers: { 'Retry-After': '3' } },
        { status: 429, body: '', headers: { 'Retry-After': 'Thu, 01 Jan 2026 00:00:07 GMT' } },
        { status: 200, body: '{}' },
      ],
      { baseDelayMs: 100 },
    );
    await c.http.postJson('http://127.0.0.1:1/x', {});
    assert.deepEqual(c.delays, [3000, 7000]);
  });

  test('waits are capped at maxDelayMs', async () => {
    const c = client([{ status: 429, body: '', headers: { 'Retry-After': '86400' } }, { status: 200, body: '{}' }], { maxDelayMs: 5000 });
    await c.http.postJson('http://127.0.0.1:1/x', {});
    assert.deepEqual(c.delays, [5000]);
  });

  test('429 past the attempt bound is a rate-limited error', async () => {
    const c = client([{ status: 429, body: '', headers: { 'Retry-After': '30' } }], { attempts: 3, baseDelayMs: 1 });
    await assert.rejects(c.http.postJson('http://127.0.0.1:1/x', {}), (e: unknown) => {
      assert.ok(e instanceof WyzeCloudError);
      assert.equal(e.code, 'rate-limited');
      assert.equal(e.retryAfterSeconds, 30);
      return true;
    });
    assert.equal(c.state.calls, 3);
    assert.equal(c.delays.length, 2);
  });

  test('a 403 HTML page is the firewall', async () => {
    const c = client([{ status: 403, body: '<html><body>Request blocked</body></html>' }]);
    await assert.rejects(c.http.postJson('http://127.0.0.1:1/x', {}), (e: unknown) => e instanceof WyzeCloudError && e.code === 'blocked' && /firewall/.test(e.message));
  });

  test('a 403 with a JSON body is returned for the caller to read', async () => {
    const c = client([{ status: 403, body: '{"code":"1001","msg":"no"}' }]);
    assert.equal((await c.http.postJson('http://127.0.0.1:1/x', {})).status, 403);
  });

  test('a body that is not JSON is a bad response', async () => {
    const c = client([{ status: 200, body: '{"code":"1",' }]);
    await assert.rejects(c.http.postJson('http://127.0.0.1:1/x', {}), (e: unknown) => e instanceof WyzeCloudError && e.code === 'bad-response');
  });

  test('a network error is cloud-unreachable and names no query string', async () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const c = client([err]);
    await assert.rejects(c.http.postJson('http://127.0.0.1:1/path?sessionId=s3cr3t-session', {}), (e: unknown) => {
      assert.ok(e instanceof WyzeCloudError);
      assert.equal(e.code, 'cloud-unreachable');
      assert.match(e.message, /ECONNREFUSED/);
      assert.ok(!e.message.includes('s3cr3t-session'));
      return true;
    });
  });
});

describe('backoff and Retry-After', () => {
  test('backoffDelay doubles from the base', () => {
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffDelay(a, undefined, DEFAULT_RETRY)), [1000, 2000, 4000, 8000]);
  });
  test('parseRetryAfter reads seconds and dates and ignores junk', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('12', now), 12);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});
