import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyCamera, isCamera, knownModelName } from './camera-support';
import type { WyzeDevice } from './wyze-device';

const v3: WyzeDevice = {
  mac: '2CAA8E000001',
  nickname: 'Porch',
  productModel: 'WYZE_CAKP2JFUS',
  productType: 'Camera',
  firmware: '4.36.11.8391',
  online: true,
  enr: 'fake-enr-value-1',
  uid: 'FAKEUID0000000000001',
  ip: '192.168.1.20',
  dtls: 1,
  p2pType: 4,
};

describe('classifyCamera', () => {
  test('a tested model with DTLS and an IP is supported', () => {
    assert.deepEqual(classifyCamera(v3), { support: 'supported' });
    assert.equal(classifyCamera({ ...v3, productModel: 'HL_CAM4' }).support, 'supported');
    assert.equal(classifyCamera({ ...v3, productModel: 'WYZEDB3' }).support, 'supported');
  });

  test('the Cam v2 model is matched with its dash', () => {
    assert.equal(knownModelName('WYZEC1-JZ'), 'Wyze Cam v2');
    assert.equal(classifyCamera({ ...v3, productModel: 'WYZEC1-JZ' }).support, 'supported');
  });

  test('an unknown DTLS model is untested, with the model in the reason', () => {
    const c = classifyCamera({ ...v3, productModel: 'HL_PAN3' });
    assert.equal(c.support, 'untested');
    assert.match(c.reason ?? '', /HL_PAN3/);
  });

  test('no IP is a Gwell-based camera', () => {
    const c = classifyCamera({ ...v3, productModel: 'GW_GC1', ip: null });
    assert.equal(c.support, 'unsupported');
    assert.match(c.reason ?? '', /Gwell/);
  });

  test('dtls other than 1 is unsupported even for a tested model', () => {
    for (const dtls of [0, null, 2]) {
      const c = classifyCamera({ ...v3, dtls });
      assert.equal(c.support, 'unsupported');
      assert.match(c.reason ?? '', /DTLS/);
    }
  });

  test('a record without UID, ENR or a readable IP is unsupported', () => {
    assert.equal(classifyCamera({ ...v3, uid: '' }).support, 'unsupported');
    assert.equal(classifyCamera({ ...v3, enr: '' }).support, 'unsupported');
    assert.equal(classifyCamera({ ...v3, ip: 'not-an-ip' }).support, 'unsupported');
  });

  test('the reason never contains the ENR', () => {
    for (const d of [{ ...v3, productModel: 'X' }, { ...v3, dtls: 0 }, { ...v3, ip: null }]) {
      assert.ok(!(classifyCamera(d).reason ?? '').includes(v3.enr));
    }
  });

  test('only product_type "Camera" is a camera', () => {
    assert.equal(isCamera(v3), true);
    assert.equal(isCamera({ ...v3, productType: 'Plug' }), false);
  });
});
