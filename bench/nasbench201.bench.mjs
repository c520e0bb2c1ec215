// Measures the NAS-Bench-201 plugin against its built package: reading the real table, oracle
// lookups, and the reply -> extract -> compile path. Returns plain JSON.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Rng } from '@llmatic/core';
import { extractCell, nasBench201, parseNb201Table } from '@llmatic/nasbench201';

const TABLE = resolve(import.meta.dirname, '../../shared/data/nas-bench-201/nb201.csv.gz');

const ms = (start) => Number((performance.now() - start).toFixed(3));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export default async function run() {
  const result = { table: TABLE, tablePresent: existsSync(TABLE) };
  const { space, evaluator } = nasBench201({ dataset: 'cifar10', table: TABLE, download: false });
  const rng = Rng.fromSeed(1);
  const programs = Array.from({ length: 2000 }, () => space.operators.random(rng));
  const replies = programs.map((code) => `Here is the new cell.\n\n\`\`\`python\n${code}\n\`\`\`\n\nIt should do better.`);

  let start = performance.now();
  const models = [];
  for (const reply of replies) {
    const extracted = extractCell(reply);
    const compiled = await space.compiler.compile(extracted.code);
    models.push(compiled.model);
  }
  result.extractCompileUsPerReply = Number(((ms(start) * 1000) / replies.length).toFixed(2));

  if (result.tablePresent) {
    const gz = readFileSync(TABLE);
    const parses = [];
    for (let i = 0; i < 5; i++) {
      start = performance.now();
      parseNb201Table(gunzipSync(gz).toString('utf8'), TABLE);
      parses.push(ms(start));
    }
    result.tableGunzipParseMsMedian = median(parses);
    start = performance.now();
    await evaluator.check();
    result.firstLoadMs = ms(start);
    start = performance.now();
    const evaluations = await Promise.all(models.map((m, i) => evaluator.evaluate(m, { candidateId: `b${i}` })));
    result.evaluateUsPerCell = Number(((ms(start) * 1000) / models.length).toFixed(2));
    result.evaluated = evaluations.filter((e) => e.ok).length;
    result.heapUsedMb = Number((process.memoryUsage().heapUsed / 2 ** 20).toFixed(1));
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
