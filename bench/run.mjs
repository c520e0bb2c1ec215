#!/usr/bin/env node
// Runs the benchmarks in bench/*.bench.mjs against the BUILT packages and writes
// bench/results/latest.json as { machine: { node, cpus, date }, results: { <name>: {...} } }.
//
//   npm run bench                   build everything, then run every bench
//   node bench/run.mjs archive      run bench/archive.bench.mjs only (after a build)
//
// A bench file exports `default async function run()` returning a JSON-able object. Any shape is
// printed, flattened to dotted keys. A measurement written as
//   { value: number, unit: string, target?: { max?: number, min?: number }, reference?: string }
// is printed on one row with its target and "ok" or "MISS". Missing a target does not fail the
// run (machines differ); a bench that throws does (exit code 1), and its error is recorded.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const latestPath = join(resultsDir, 'latest.json');
const SUFFIX = '.bench.mjs';

function discover(names) {
  const all = readdirSync(here)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => basename(file, SUFFIX))
    .sort();
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    throw new Error(`No bench named ${unknown.join(', ')}; available: ${all.join(', ') || '(none)'}`);
  }
  return names.length > 0 ? names : all;
}

async function runOne(name) {
  const started = performance.now();
  try {
    const module = await import(pathToFileURL(join(here, `${name}${SUFFIX}`)).href);
    if (typeof module.default !== 'function') {
      throw new Error(`bench/${name}${SUFFIX} must export a default async function run()`);
    }
    const result = await module.default();
    return { ok: true, result, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ok: false, result: { error: message }, seconds: (performance.now() - started) / 1000 };
  }
}

function isMeasurement(value) {
  return value !== null && typeof value === 'object' && typeof value.value === 'number' && 'unit' in value;
}

function targetText(target) {
  if (!target) return '';
  const parts = [];
  if (typeof target.max === 'number') parts.push(`< ${target.max}`);
  if (typeof target.min === 'number') parts.push(`> ${target.min}`);
  return parts.join(' and ');
}

function verdict(measurement) {
  const { value, target } = measurement;
  if (!target) return '';
  const okMax = typeof target.max !== 'number' || value < target.max;
  const okMin = typeof target.min !== 'number' || value > target.min;
  return okMax && okMin ? 'ok' : 'MISS';
}

function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.01 || abs >= 1e7)) return value.toExponential(3);
  return Number.isInteger(value) ? String(value) : value.toFixed(abs < 10 ? 3 : 1);
}

/** Table rows [metric, value, target, verdict, reference] for one bench's result. */
function rows(result, prefix = '') {
  if (isMeasurement(result)) {
    return [[prefix, `${formatNumber(result.value)} ${result.unit}`, targetText(result.target), verdict(result), result.reference ?? '']];
  }
  if (Array.isArray(result) && result.every((item) => item === null || typeof item !== 'object')) {
    return [[prefix, JSON.stringify(result), '', '', '']];
  }
  if (result !== null && typeof result === 'object') {
    return Object.entries(result).flatMap(([key, value]) => rows(value, prefix ? `${prefix}.${key}` : key));
  }
  const text = typeof result === 'number' ? formatNumber(result) : String(result);
  return [[prefix, text.split('\n')[0], '', '', '']];
}

function printTable(name, outcome) {
  const table = rows(outcome.result);
  // Long free text (notes, errors) does not widen the columns of the measurements.
  const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => (row[i].length <= 40 ? row[i].length : 0)), 0));
  console.log(`\n${name} (${outcome.seconds.toFixed(1)} s)${outcome.ok ? '' : '  FAILED'}`);
  for (const row of table) {
    const line = row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell)).join('  ');
    console.log(`  ${line.trimEnd()}`);
  }
}

function readPrevious() {
  if (!existsSync(latestPath)) return { results: {}, runs: {} };
  try {
    const previous = JSON.parse(readFileSync(latestPath, 'utf8'));
    return { results: previous.results ?? {}, runs: previous.runs ?? {} };
  } catch {
    return { results: {}, runs: {} };
  }
}

function machine() {
  const cores = cpus();
  return {
    node: process.version,
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    gcExposed: typeof globalThis.gc === 'function',
  };
}

/** Writes latest.json atomically. A partial run keeps the other benches' last results. */
function write(outcomes) {
  const previous = readPrevious();
  const date = new Date().toISOString();
  for (const [name, outcome] of Object.entries(outcomes)) {
    previous.results[name] = outcome.result;
    previous.runs[name] = { date, seconds: Number(outcome.seconds.toFixed(2)), ok: outcome.ok };
  }
  const body = { machine: machine(), results: previous.results, runs: previous.runs };
  mkdirSync(resultsDir, { recursive: true });
  const partial = `${latestPath}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(partial, latestPath);
}

async function main() {
  const names = discover(process.argv.slice(2));
  if (typeof globalThis.gc !== 'function') {
    console.warn('note: run with `node --expose-gc` (as `npm run bench` does) for steadier timings');
  }
  const outcomes = {};
  for (const name of names) {
    outcomes[name] = await runOne(name);
    printTable(name, outcomes[name]);
  }
  write(outcomes);
  console.log(`\nwrote ${join('bench', 'results', 'latest.json')}`);
  const failed = Object.entries(outcomes).filter(([, outcome]) => !outcome.ok);
  if (failed.length > 0) {
    console.error(`\n${failed.length} bench(es) failed: ${failed.map(([name]) => name).join(', ')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
