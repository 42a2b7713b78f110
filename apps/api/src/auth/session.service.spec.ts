import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiDeps } from '../api.deps';
import type { ClockRepository } from '../repositories/clock.repository';
import type { SessionRepository, SessionRow } from '../repositories/session.repository';
import { csrfTokenFor, RENEW_EVERY_US, SessionService } from './session.service';

const IDLE_S = 3600;

function setup() {
  const rows = new Map<string, SessionRow>();
  const writes: string[] = [];
  const repo = {
    insert: async (r: SessionRow) => void rows.set(r.idHash, { ...r }),
    get: async (h: string) => (rows.has(h) ? { ...rows.get(h)! } : undefined),
    renew: async (h: string, expiresUs: number, renewedUs: number) => {
      writes.push(h);
      const r = rows.get(h);
      if (r) rows.set(h, { ...r, expiresUs, renewedUs });
    },
    delete: async (h: string) => void rows.delete(h),
    deleteExpired: async (now: number) => {
      let n = 0;
      for (const [h, r] of rows) if (r.expiresUs <= now && rows.delete(h)) n++;
      return n;
    },
  } as unknown as SessionRepository;
  const clock = { t: 1_700_000_000_000_000, nowUs() { return this.t; } };
  const service = new SessionService(repo, clock as unknown as ClockRepository, { config: { sessionIdleSeconds: IDLE_S } } as unknown as ApiDeps);
  return { rows, writes, clock, service };
}

describe('SessionService', () => {
  it('stores only a hash of the id; the CSRF token is neither the id nor the stored hash', async () => {
    const { rows, service } = setup();
    const g = await service.create();
    assert.match(g.id, /^[A-Za-z0-9_-]{43}$/);
    const [hash] = [...rows.keys()];
    assert.notEqual(hash, g.id);
    assert.ok(!JSON.stringify([...rows.values()]).includes(g.id), 'the id is nowhere in the row');
    assert.equal(g.csrfToken, csrfTokenFor(g.id));
    assert.notEqual(g.csrfToken, hash);
    assert.notEqual((await service.create()).id, g.id, 'ids are random');
  });

  it('a session slides: used within the idle time it lives on; its expiry is written at most once a minute', async () => {
    const { writes, clock, service } = setup();
    const g = await service.create();
    clock.t += 30_000_000;
    assert.deepEqual(await service.check(g.id), { ok: true, csrfToken: g.csrfToken, expiresUs: g.expiresUs, renewed: false });
    assert.equal(writes.length, 0, 'no write within the first minute');
    clock.t += RENEW_EVERY_US;
    const renewed = await service.check(g.id);
    assert.deepEqual(renewed, { ok: true, csrfToken: g.csrfToken, expiresUs: clock.t + IDLE_S * 1e6, renewed: true });
    // Used every 50 minutes, it outlives the first hour many times over.
    for (let i = 0; i < 5; i++) {
      clock.t += 50 * 60_000_000;
      assert.equal((await service.check(g.id)).ok, true, `use ${i}`);
    }
  });

  it('a session unused for the idle time has ended, and its row is removed', async () => {
    const { rows, clock, service } = setup();
    const g = await service.create();
    clock.t += IDLE_S * 1e6;
    assert.deepEqual(await service.check(g.id), { ok: false });
    assert.equal(rows.size, 0);
  });

  it('revoke ends a session at once; an unknown id is no session', async () => {
    const { service } = setup();
    const g = await service.create();
    await service.revoke(g.id);
    assert.deepEqual(await service.check(g.id), { ok: false });
    assert.deepEqual(await service.check('x'.repeat(43)), { ok: false });
  });

  it('a sign-in sweeps sessions that ended', async () => {
    const { rows, clock, service } = setup();
    await service.create();
    await service.create();
    clock.t += IDLE_S * 1e6 + 1;
    await service.create();
    assert.equal(rows.size, 1);
  });
});
