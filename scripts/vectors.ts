// npm run vectors -- <file>: checks every vector of a wyze-tutk-vectors/1 file, prints `N passed, N failed`.
import { readVectorFile, runVectors } from '../tools/vectors/runner';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npm run vectors -- <vectors.json>');
    return 2;
  }
  const results = await runVectors(readVectorFile(file));
  for (const r of results) if (!r.ok) console.log(`FAIL ${r.name} (${r.kind}): ${r.error}`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return results.length === passed ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
