import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildAvLoginResponse } from '../av/login-response';
import { parseAvLogin } from '../av/login';
import { TimerSet } from '../session/timers';
import { AvChannel } from './av-channel';

/** An AV channel whose records are kept instead of sent; deadlines on the session's timers. */
function channel(): { av: AvChannel; sent: Uint8Array[]; timers: TimerSet } {
  const sent: Uint8Array[] = [];
  const timers = new TimerSet();
  const av = new AvChannel({
    timers,
    counters: { acksSent: 0 },
    ioctrlTimeoutMs: 5000,
    send: (r) => sent.push(r),
    deadline: (ms) => new Promise<void>((resolve) => void timers.timeout(ms, resolve)),
    ended: () => false,
    ackRun: () => undefined,
  });
  return { av, sent, timers };
}

/** Lets promise chains run while the (fake) timers stand still. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('AV login (FACTS §8.2)', () => {
  it("sends login #2 as soon as the camera has answered #1, not after go2rtc's 10 ms, and uses that answer", async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { av, sent, timers } = channel();
    const login = av.login('ENRofTHEcamera12', 0, 5000);
    await settle();
    assert.deepEqual(sent.map((r) => parseAvLogin(r).form), [1]);
    av.onCommandRecord(buildAvLoginResponse(sent[0].subarray(20, 24), false));
    await settle();
    assert.deepEqual(sent.map((r) => parseAvLogin(r).form), [1, 2], 'no timer had fired');
    assert.equal((await login)?.twoWayAudio, false);
    timers.close();
  });

  it('a camera silent after #1 gets #2 at 10 ms, and its answer to #2 is used', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { av, sent, timers } = channel();
    const login = av.login('ENRofTHEcamera12', 0, 5000);
    t.mock.timers.tick(9);
    await settle();
    assert.equal(sent.length, 1);
    t.mock.timers.tick(1);
    await settle();
    assert.deepEqual(sent.map((r) => parseAvLogin(r).form), [1, 2]);
    av.onCommandRecord(buildAvLoginResponse(sent[1].subarray(20, 24), true));
    assert.equal((await login)?.twoWayAudio, true);
    timers.close();
  });
});
