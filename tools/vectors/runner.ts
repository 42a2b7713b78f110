import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vector, VectorKinds } from './types';

export interface VectorResult {
  name: string;
  kind: string;
  ok: boolean;
  error?: string;
}

/** Every kind the repo knows, gathered from tools/vectors/kinds/*.ts (one file per protocol layer). */
export function loadKinds(): VectorKinds {
  const dir = join(__dirname, 'kinds');
  const all: VectorKinds = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.spec.ts')).sort()) {
    const mod = require(join(dir, f)) as { kinds?: VectorKinds };
    for (const [k, check] of Object.entries(mod.kinds ?? {})) {
      if (all[k]) throw new Error(`vector kind ${k} is defined twice (second in ${f})`);
      all[k] = check;
    }
  }
  return all;
}

export function parseVectorFile(text: string): Vector[] {
  const doc = JSON.parse(text) as { format?: string; vectors?: unknown };
  if (doc.format !== 'wyze-tutk-vectors/1') throw new Error(`unsupported vector file format: ${String(doc.format)}`);
  if (!Array.isArray(doc.vectors)) throw new Error('vector file has no "vectors" array');
  return doc.vectors as Vector[];
}

/** Runs every vector; a kind with no checker counts as failed, never skipped. */
export async function runVectors(vectors: Vector[], kinds: VectorKinds = loadKinds()): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  for (const v of vectors) {
    const check = kinds[v.kind];
    if (!check) {
      results.push({ name: v.name, kind: v.kind, ok: false, error: `unknown kind ${v.kind}` });
      continue;
    }
    try {
      await check(v);
      results.push({ name: v.name, kind: v.kind, ok: true });
    } catch (e) {
      results.push({ name: v.name, kind: v.kind, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

export function readVectorFile(path: string): Vector[] {
  return parseVectorFile(readFileSync(path, 'utf8'));
}
