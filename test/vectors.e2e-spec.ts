// `npm run vectors -- ../shared/protocol/vectors.json` and `npm run vectors -- test/vectors/controls.json`
// (camera-control K-commands) are part of the suite: every vector must pass, and a missing file fails the
// suite (a skip would pass a checkout that checks nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

const root = join(__dirname, '..');
const shared = sharedVectorsFile();

/** ../shared beside the checkout; a linked git worktree finds it beside its main checkout instead. */
function sharedVectorsFile(): string {
  const inShared = (checkout: string) => join(checkout, '..', 'shared', 'protocol', 'vectors.json');
  if (existsSync(inShared(root))) return inShared(root);
  const git = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8' });
  const main = git.status === 0 ? dirname(git.stdout.trim()) : root;
  return existsSync(inShared(main)) ? inShared(main) : inShared(root);
}

function readShared(): { vectors: { kind: string; expected: Record<string, unknown> }[] } {
  assert.ok(existsSync(shared), `no vectors file at ${shared}: the protocol vectors live in ../shared/protocol beside the checkout`);
  return JSON.parse(readFileSync(shared, 'utf8'));
}

function runVectors(file: string) {
  return spawnSync('npm', ['run', '--silent', 'vectors', '--', file], { cwd: root, encoding: 'utf8' });
}

test('every vector of the shared protocol file passes', () => {
  const total = readShared().vectors.length;
  const r = runVectors(shared);
  assert.match(r.stdout, new RegExp(`^${total} passed, 0 failed$`, 'm'), r.stdout + r.stderr);
  assert.equal(r.status, 0);
});

test('a corrupted vector and an unknown kind are reported as failures with a non-zero exit', () => {
  const doc = readShared();
  const v = doc.vectors.find((x) => x.kind === 'transcode_raw');
  assert.ok(v);
  const bad = structuredClone(v);
  bad.expected.ciphertext = '00'.repeat(16);
  const file = join(mkdtempSync(join(tmpdir(), 'vec-')), 'v.json');
  writeFileSync(file, JSON.stringify({ format: 'wyze-tutk-vectors/1', vectors: [v, bad, { name: 'u', kind: 'unheard_of', inputs: {}, expected: {} }] }));
  const r = runVectors(file);
  assert.match(r.stdout, /^1 passed, 2 failed$/m, r.stdout + r.stderr);
  assert.notEqual(r.status, 0);
});

test('every camera-control vector of test/vectors/controls.json passes, and every control K-command has a vector each way', async () => {
  const file = join(root, 'test', 'vectors', 'controls.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { vectors: { kind: string; inputs: { cmd?: number }; expected: { cmd?: number } }[] };
  const r = runVectors(file);
  assert.match(r.stdout, new RegExp(`^${doc.vectors.length} passed, 0 failed$`, 'm'), r.stdout + r.stderr);
  assert.equal(r.status, 0);
  const { CONTROL_SPECS, commandsOf } = await import('../libs/tutk/src/controls/control-specs');
  const requests = new Set(doc.vectors.filter((v) => v.kind === 'k_control_request').map((v) => v.expected.cmd));
  const replies = new Set(doc.vectors.filter((v) => v.kind === 'k_control_reply').map((v) => v.inputs.cmd));
  for (const spec of Object.values(CONTROL_SPECS)) {
    for (const cmd of commandsOf(spec)) {
      assert.ok(requests.has(cmd), `a request vector for K${cmd} (${spec.name})`);
      // K11000 is never answered (libs/tutk av/k-ptz.ts).
      if (cmd !== 11000) assert.ok(replies.has(cmd + 1), `a reply vector for K${cmd + 1} (${spec.name})`);
    }
  }
});
