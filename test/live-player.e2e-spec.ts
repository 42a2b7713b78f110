// The browser player (apps/web/live-player) in Debian's Chromium against a stand-in live WebSocket that
// streams real fragmented MP4 (libs/media LiveFragmenter over the media fixtures) in real time: it asks with
// the codecs this browser plays, plays near the live edge after the fast start, gets past a skip, follows a
// codec change, shows an unsupported codec, and reconnects by itself. The same page against the real
// recorder through the API: test/live-demo.e2e-spec.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, pageWithToken, playerState, type PlayerState } from './support/browser';
import { eventually } from './support/eventually';
import { startStandIn, type StandIn } from './support/live-stand-in';

const TOKEN = 'stand-in-token_0123456789';
let browser: Browser;
let standIn: StandIn;

before(async () => {
  standIn = await startStandIn();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await standIn?.close();
});

async function open(camera: number) {
  const p = await pageWithToken(browser, TOKEN);
  await p.page.goto(`${standIn.url}/live.html?camera=${camera}`);
  const state = () => playerState(p.page);
  const fail = (e: Error) => assert.fail(`${e.message}\nconsole:\n${p.console.join('\n')}`);
  /** Waits until the player has played `seconds` more of the stream than now. */
  const advances = async (seconds: number, timeoutMs = 20_000): Promise<PlayerState> => {
    const from = (await state()).currentTime;
    return eventually(async () => {
      const s = await state();
      return s.currentTime > from + seconds && s;
    }, timeoutMs, `currentTime to advance ${seconds} s past ${from}`).catch(fail);
  };
  return { ...p, state, advances, fail };
}

describe('live player in Chromium (stand-in server)', () => {
  test('says which codecs it plays, offers the token as a subprotocol, and plays near the live edge', { timeout: 60_000 }, async () => {
    const { page, context, state, advances, fail } = await open(1);
    try {
      const s = await advances(3);
      const conn = standIn.connections.find((c) => c.camera === 1)!;
      assert.deepEqual(conn.protocols, ['wyze-nvr.live.v1', `bearer.${TOKEN}`]);
      assert.equal(conn.selected, 'wyze-nvr.live.v1');
      const types = conn.hello!.mimeTypes;
      assert.ok(types.includes('video/mp4; codecs="avc1.4D401F"'), 'H.264 Main 3.1 (the fixture) is offered');
      assert.ok(types.includes('audio/mp4; codecs="mp4a.40.2"') && types.includes('audio/mp4; codecs="flac"'), 'AAC and FLAC are offered');
      assert.ok(!types.some((t) => t.includes('hvc1')), 'this Chromium does not play H.265 under MSE, and does not claim to');
      assert.equal(s.state, 'playing');
      assert.equal(s.videoWidth, 1280);
      assert.ok(s.audioBytes > 0, 'audio is decoded');
      assert.match(s.mime, /avc1\.4d401f,mp4a\.40\.2/i);
      // The fast start sent 1.5 s at once; the player starts near its newest frame and stays there.
      const lag = (x: PlayerState) => x.now - x.pictureTimeMs!;
      await eventually(async () => lag(await state()) < 800, 15_000, 'the picture within 0.8 s of the newest frame').catch(fail);
      const samples: PlayerState[] = [];
      for (let i = 0; i < 10; i++) {
        samples.push(await state());
        await new Promise((r) => setTimeout(r, 300));
      }
      const worst = Math.max(...samples.map(lag));
      assert.ok(worst < 1000, `over 3 s the picture was at most ${worst.toFixed(0)} ms behind the stand-in's newest frame`);
      assert.ok(samples.every((x) => x.aheadS <= 1), `at most 1 s buffered ahead: ${samples.map((x) => x.aheadS.toFixed(2)).join(' ')}`);
      assert.equal(page.url(), `${standIn.url}/live.html?camera=1`, 'no token in the URL');
    } finally {
      await context.close();
    }
  });

  test('gets past skipped frames (a slow viewer skipped to the next keyframe) and keeps playing', { timeout: 60_000 }, async () => {
    const { context, state, advances, fail } = await open(3);
    try {
      await advances(1);
      await eventually(async () => (await state()).skips === 1, 15_000, 'the skip message').catch(fail);
      const s = await advances(2);
      assert.equal(s.state, 'playing');
      assert.ok(s.now - s.pictureTimeMs! < 1000, `${s.now - s.pictureTimeMs!} ms behind after the skip`);
    } finally {
      await context.close();
    }
  });

  test('follows a resolution change (new codecs message, new init segment)', { timeout: 60_000 }, async () => {
    const { context, state, advances, fail } = await open(4);
    try {
      await eventually(async () => (await state()).videoWidth === 1280, 15_000, '720p first').catch(fail);
      await eventually(async () => (await state()).videoWidth === 640, 15_000, '360p after the change').catch(fail);
      const s = await advances(1);
      assert.deepEqual([s.videoWidth, s.videoHeight, s.state], [640, 360, 'playing']);
    } finally {
      await context.close();
    }
  });

  test('an H.265 camera to a browser without H.265: the server’s message is shown, and the player does not retry', { timeout: 30_000 }, async () => {
    const { context, state, fail } = await open(2);
    try {
      const s = await eventually(async () => {
        const x = await state();
        return x.state === 'error' && x;
      }, 15_000, 'the error').catch(fail);
      assert.match(s.pageMessage, /H\.265/);
      const before = standIn.connections.filter((c) => c.camera === 2).length;
      assert.equal(before, 1);
      // The player's first retry would come after 0.5 s; give it four times that.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(standIn.connections.filter((c) => c.camera === 2).length, 1, 'no reconnect');
    } finally {
      await context.close();
    }
  });

  test('reconnects by itself when the server closes, and plays again', { timeout: 60_000 }, async () => {
    const { context, state, advances, fail } = await open(5);
    try {
      await eventually(async () => (await state()).connects >= 2, 20_000, 'a second connection').catch(fail);
      const s = await advances(1);
      assert.equal(s.state, 'playing');
      assert.ok(standIn.connections.filter((c) => c.camera === 5).every((c) => c.hello), 'each connection began with a hello');
    } finally {
      await context.close();
    }
  });
});
