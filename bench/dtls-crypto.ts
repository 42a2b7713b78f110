// DTLS record and key-exchange throughput for each crypto provider.
//   node -r ./scripts/register.js bench/dtls-crypto.ts [seconds-per-case]
import { NamedGroup, cipherSuite, nodeCrypto, sodiumCrypto, type DtlsCrypto, type TrafficKeys } from '../libs/tutk/src/dtls';
import { nobleCrypto } from '../libs/tutk/src/dtls/crypto/noble-crypto';

const SECONDS = Number(process.argv[2] ?? 1);
const RECORD = 1100;

function measure(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT before timing
  let ops = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) fn();
    ops += 64;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

function keys(c: DtlsCrypto, keyLen: number, ivLen: number, macLen: number): TrafficKeys {
  const k = c.randomBytes(keyLen);
  const iv = c.randomBytes(ivLen);
  const mac = c.randomBytes(macLen);
  return { writeKey: k, readKey: k, writeIv: iv, readIv: iv, writeMacKey: mac, readMacKey: mac };
}

const rows: string[][] = [['provider', 'case', 'ops/s', 'MB/s']];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });

for (const c of [nodeCrypto, nobleCrypto, ...(sodiumCrypto ? [sodiumCrypto] : [])]) {
  const plaintext = c.randomBytes(RECORD);
  for (const [id, label, k, iv, mac] of [
    [0xccac, 'ChaCha20-Poly1305', 32, 12, 0],
    [0x00ae, 'AES-128-CBC-SHA256', 16, 0, 32],
  ] as const) {
    const cipher = cipherSuite(id)!.createCipher(c, keys(c, k, iv, mac));
    let seq = 0;
    const sealOps = measure(() => cipher.seal(23, 1, seq++, plaintext));
    const record = cipher.seal(23, 1, 7, plaintext).subarray(13);
    const openOps = measure(() => {
      if (!cipher.open(23, 0xfefd, 1, 7, record)) throw new Error('open failed');
    });
    rows.push([c.name, `${label} seal ${RECORD} B`, fmt(sealOps), fmt((sealOps * RECORD) / 1e6)]);
    rows.push([c.name, `${label} open ${RECORD} B`, fmt(openOps), fmt((openOps * RECORD) / 1e6)]);
    if (id === 0xccac && c.chachaOpenInPlace) {
      // The receive path's variant: each op decrypts a fresh copy of the record (the copy is timed too).
      const scratch = new Uint8Array(record.length);
      const inPlaceOps = measure(() => {
        scratch.set(record);
        if (!cipher.open(23, 0xfefd, 1, 7, scratch, true)) throw new Error('open in place failed');
      });
      rows.push([c.name, `${label} open in place ${RECORD} B`, fmt(inPlaceOps), fmt((inPlaceOps * RECORD) / 1e6)]);
    }
  }
  const peer = c.ecdhGenerate(NamedGroup.X25519);
  const x25519Ops = measure(() => {
    const kp = c.ecdhGenerate(NamedGroup.X25519);
    c.ecdh(NamedGroup.X25519, kp.privateKey, peer.publicKey);
  });
  rows.push([c.name, 'X25519 keygen + shared secret', fmt(x25519Ops), '']);
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '));
