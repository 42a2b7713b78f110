import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config.error';
import { loadRecorderSettings } from './recorder-config';

function issues(env: Record<string, string>): readonly { variable: string; message: string }[] {
  try {
    loadRecorderSettings(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail(`loadRecorderSettings accepted ${JSON.stringify(env)}`);
}

describe('MQTT settings', () => {
  test('MQTT_URL unset: MQTT is off', () => {
    assert.equal(loadRecorderSettings({}).mqtt, undefined);
    assert.equal(loadRecorderSettings({ MQTT_URL: ' ' }).mqtt, undefined);
  });

  test('credentials are taken apart from the URL, and the URL shown in logs has none', () => {
    const m = loadRecorderSettings({ MQTT_URL: 'mqtt://ha%20user:s3cr%40t@broker.lan:1884' }).mqtt!;
    assert.equal(m.username, 'ha user');
    assert.equal(m.password, 's3cr@t');
    assert.equal(m.displayUrl, 'mqtt://broker.lan:1884');
    assert.equal(m.topicPrefix, 'wyze-nvr');
    assert.equal(m.discoveryPrefix, 'homeassistant');
    assert.equal(m.apiPublicUrl, undefined);
  });

  test('prefixes, CA file and API_PUBLIC_URL are read', () => {
    const m = loadRecorderSettings({ MQTT_URL: 'mqtts://b:8883', MQTT_TOPIC_PREFIX: 'home/nvr', MQTT_DISCOVERY_PREFIX: 'ha', MQTT_CA_FILE: __filename, API_PUBLIC_URL: 'https://nvr.lan/' }).mqtt!;
    assert.equal(m.topicPrefix, 'home/nvr');
    assert.equal(m.discoveryPrefix, 'ha');
    assert.equal(m.caFile, __filename);
    assert.equal(m.apiPublicUrl, 'https://nvr.lan');
  });

  const bad: [Record<string, string>, string, RegExp][] = [
    [{ MQTT_URL: 'http://u:hunter22@broker' }, 'MQTT_URL', /expected an mqtt:\/\/ or mqtts:\/\/ URL, got scheme "http:"/],
    [{ MQTT_URL: 'not a url hunter22' }, 'MQTT_URL', /not a URL/],
    [{ MQTT_TOPIC_PREFIX: 'wyze/#' }, 'MQTT_TOPIC_PREFIX', /without \+ or #/],
    [{ MQTT_DISCOVERY_PREFIX: 'home//assistant' }, 'MQTT_DISCOVERY_PREFIX', /no empty level/],
    [{ MQTT_CA_FILE: '/no/such/ca.pem' }, 'MQTT_CA_FILE', /no such file: \/no\/such\/ca\.pem/],
    [{ API_PUBLIC_URL: 'ftp://x' }, 'API_PUBLIC_URL', /http:\/\/ or https:\/\//],
  ];
  for (const [env, variable, pattern] of bad) {
    test(`${variable}=${JSON.stringify(Object.values(env)[0])} stops startup naming the variable, without echoing a password`, () => {
      const [issue, ...more] = issues(env);
      assert.equal(more.length, 0);
      assert.equal(issue.variable, variable);
      assert.match(issue.message, pattern);
      assert.ok(!issue.message.includes('hunter22'));
    });
  }
});
