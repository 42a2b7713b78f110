// The /live.html page: one camera (?camera=ID) live, or the list of cameras to choose from. The API token is
// asked for once and kept in sessionStorage for this tab until the cookie session (issue #15) replaces it.
import { LivePlayer } from '/live-player.js';

const TOKEN_KEY = 'wyze-nvr.api-token';
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const cameraId = params.get('camera');

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function message(text) {
  $('message').textContent = text ?? '';
  show('message', Boolean(text));
}

function status(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

async function api(path) {
  return fetch(path, { headers: { authorization: `Bearer ${token()}` } });
}

function askForToken(why) {
  sessionStorage.removeItem(TOKEN_KEY);
  message(why);
  show('login', true);
  show('forget', false);
  $('token').focus();
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  location.reload();
});

$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

async function listCameras() {
  const res = await api('/cameras?limit=500');
  if (res.status === 401) return askForToken('The token was refused.');
  const { items } = await res.json();
  const nav = $('cameras');
  for (const c of items) {
    const a = document.createElement('a');
    a.href = `?camera=${c.id}`;
    a.textContent = `${c.name} (${c.status.state})`;
    nav.append(a);
  }
  if (!items.length) message('No cameras yet.');
  show('cameras', true);
  status('stopped', 'choose a camera');
}

/** Why a live view could not open: the WebSocket itself only says that it closed. */
async function diagnose(player) {
  const res = await api(`/cameras/${encodeURIComponent(cameraId)}`);
  if (res.status === 401) {
    player.stop();
    askForToken('The token was refused.');
  } else if (res.status === 404) {
    player.stop();
    message(`There is no camera ${cameraId}.`);
  } else if (res.ok) {
    const camera = await res.json();
    $('title').textContent = camera.name;
    const s = camera.status;
    if (s.state !== 'recording') message(`The camera is ${s.state}${s.reason ? `: ${s.reason}` : ''}. Retrying…`);
  }
}

function watch() {
  const video = $('video');
  show('video', true);
  show('forget', true);
  const player = new LivePlayer(video, { cameraId, token: token() });
  globalThis.livePlayer = player; // for the browser test and the console
  player.addEventListener('status', (e) => {
    const { state, message: text } = e.detail;
    const label = { playing: 'live', error: 'stopped' }[state] ?? (text || state);
    status(state, label);
    if (state === 'playing') message('');
    if (state === 'error') message(text);
    // A player that gave up has nothing to show: only the reason.
    show('video', state !== 'error');
  });
  player.addEventListener('closed', (e) => {
    if (e.detail.refused) void diagnose(player);
  });
  player.addEventListener('muted', () => status('playing', 'live (muted: use the controls for sound)'));
  setInterval(() => {
    const s = player.stats;
    if (s.pictureTimeMs !== null && s.state === 'playing') {
      $('clock').textContent = new Date(s.pictureTimeMs).toLocaleString();
      show('clock', true);
    }
    $('figures').textContent = s.mime ? `${s.width}×${s.height} · ${s.mime.replace(/^.*codecs="?([^"]*)"?$/, '$1')} · ${s.aheadS.toFixed(2)} s buffered · ${s.skips} skips` : '';
  }, 500);
  api(`/cameras/${encodeURIComponent(cameraId)}`)
    .then((r) => (r.ok ? r.json() : undefined))
    .then((c) => c && ($('title').textContent = c.name))
    .catch(() => undefined);
  player.start();
}

if (!token()) askForToken('');
else if (cameraId) watch();
else void listCameras();
