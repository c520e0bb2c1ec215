// What a candidate program may not do. Each case must come back as an untrainable candidate with
// its reason, and the compile that follows must still work.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FailureReason } from '@llmatic/core';
import { SEED_PROGRAM, tfjsCompiler } from '@llmatic/tfjs';
import { childArguments } from '../src/sandbox/child-process.js';

const compiler = tfjsCompiler({ inputShape: [32, 32, 3], numClasses: 10, timeoutMs: 1_500, memoryMb: 64 });

/** A program whose buildModel would be fine, preceded or filled by `body`. */
function program(body: string): string {
  return `function buildModel(tf, { inputShape, numClasses }) {
  ${body}
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`;
}

async function expectRefused(code: string, reason: FailureReason, message: RegExp): Promise<void> {
  const result = await compiler.compile(code);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.failure.reason).toBe(reason);
  expect(result.failure.message).toMatch(message);
  // The sandbox is intact for the next candidate.
  const next = await compiler.compile(SEED_PROGRAM);
  expect(next.ok ? 'ok' : next.failure.message).toBe('ok');
}

describe('the sandbox refuses', () => {
  it('require()', () => expectRefused(program(`const fs = require('fs');`), 'sandbox-violation', /'require'/));

  it('require() even when the program catches the error', () =>
    expectRefused(program(`try { require('child_process') } catch (e) {}`), 'sandbox-violation', /'require'/));

  it('dynamic import()', () =>
    expectRefused(program(`import('fs').then((fs) => fs.writeFileSync('/tmp/x', 'x'));`), 'sandbox-violation', /import\('fs'\)/));

  it('static import', () => expectRefused(`import fs from 'node:fs';\n${program('')}`, 'sandbox-violation', /imports a module/));

  it('process.exit()', () => expectRefused(program('process.exit(0);'), 'sandbox-violation', /'process'/));

  it('reading process.env', () =>
    expectRefused(program('const secret = process.env.OPENAI_API_KEY;'), 'sandbox-violation', /'process'/));

  it('reading globalThis.process', () =>
    expectRefused(program('const p = globalThis.process; p.exit(0);'), 'sandbox-violation', /'process'/));

  it('fetch()', () => expectRefused(program(`fetch('http://127.0.0.1:1/steal');`), 'sandbox-violation', /'fetch'/));

  it('the constructor-chain escape on the tf argument', () =>
    expectRefused(program(`tf.constructor.constructor('return process')().exit(0);`), 'sandbox-violation', /code from a string/));

  it('the constructor-chain escape on tf.layers and a layer', () =>
    expectRefused(
      program(`tf.layers.dense({ units: 2 }).constructor.constructor('return process')().exit(0);`),
      'sandbox-violation',
      /code from a string/,
    ));

  it('the constructor-chain escape on a symbolic tensor and a model', () =>
    expectRefused(
      `function buildModel(tf, { inputShape, numClasses }) {
        const input = tf.input({ shape: inputShape });
        const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: numClasses }).apply(tf.layers.flatten().apply(input)) });
        const p = input.constructor.constructor('return process')() || model.constructor.constructor('return process')();
        return model;
      }`,
      'sandbox-violation',
      /code from a string/,
    ));

  it('the constructor-chain escape on the global object and on functions', () =>
    expectRefused(
      program(`this.constructor.constructor('return process')(); (function () {}).constructor('return 1')();`),
      'sandbox-violation',
      /code from a string/,
    ));

  it('eval()', () => expectRefused(program(`eval('1 + 1');`), 'sandbox-violation', /code from a string/));

  it('raw memory (typed arrays) and WebAssembly', async () => {
    await expectRefused(program('new Float64Array(1e9);'), 'sandbox-violation', /'Float64Array'/);
    await expectRefused(program('WebAssembly.compile;'), 'sandbox-violation', /'WebAssembly'/);
  });

  it('an infinite synchronous loop', () => expectRefused(program('while (true) {}'), 'timeout', /longer than 1500 ms/));

  it('an infinite promise loop', () =>
    expectRefused(program('const spin = () => { Promise.resolve().then(spin); }; spin();'), 'timeout', /longer than 1500 ms/));

  it('an infinite loop at the top level of the program', () =>
    expectRefused(`for (;;) {}\n${program('')}`, 'timeout', /longer than 1500 ms/));

  it('an allocation that blows the memory cap', () =>
    expectRefused(
      program('const hoard = []; while (true) hoard.push(new Array(1e5).fill(hoard.length));'),
      'memory',
      /more than 64 MB/,
    ));

  it('a model with billions of parameters, before allocating anything', () =>
    expectRefused(
      `function buildModel(tf, { inputShape, numClasses }) {
        const model = tf.sequential();
        model.add(tf.layers.flatten({ inputShape }));
        model.add(tf.layers.dense({ units: 2000000 }));
        model.add(tf.layers.dense({ units: numClasses }));
        return model;
      }`,
      'resource-cap',
      // 3072 inputs x 2,000,000 units + 2,000,000 biases
      /dense_1' \(Dense\) alone has 6146000000 parameters, over the cap of 20000000/,
    ));

  it('a model over the FLOPs cap', () =>
    expectRefused(
      program(`const big = tf.layers.conv2d({ filters: 512, kernelSize: 7, padding: 'same' }).apply(
        tf.layers.conv2d({ filters: 512, kernelSize: 7, padding: 'same' }).apply(tf.input({ shape: inputShape })));`),
      'resource-cap',
      /FLOPs, over the cap of 5000000000/,
    ));

  it('a wrong output shape', () =>
    expectRefused(
      `function buildModel(tf, { inputShape, numClasses }) {
        return tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units: numClasses + 1 })] });
      }`,
      'output-shape',
      /\[batch, 11\] but must be \[batch, 10\]/,
    ));

  it('a model that ignores the input shape', () =>
    expectRefused(
      `function buildModel(tf, { numClasses }) {
        return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: numClasses })] });
      }`,
      'compile',
      /input is \[batch, 28, 28, 1\] but the data is \[batch, 32, 32, 3\]/,
    ));

  it('a syntax error, with its position', () =>
    expectRefused('function buildModel(tf, { inputShape }) {\n  const x = ;\n}', 'compile', /SyntaxError: .*\(2:12\)/));

  it('a runtime error, with its line', () =>
    expectRefused(
      'function buildModel(tf, { inputShape }) {\n  const layer = undefined;\n  return layer.apply(1);\n}',
      'compile',
      /TypeError: .*\(line 3, column \d+\)/,
    ));

  it('a shape error, naming the layer', () =>
    expectRefused(
      `function buildModel(tf, { inputShape, numClasses }) {
        const model = tf.sequential();
        model.add(tf.layers.flatten({ inputShape }));
        model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3 }));
        return model;
      }`,
      'compile',
      /layer 'conv2d_1' \(Conv2D\) applied to \[batch, 3072\]: Conv2D needs a 4D input/,
    ));

  it('a program without buildModel', () => expectRefused('const x = 1;', 'compile', /must define function buildModel/));

  it('tensor operations, which a description cannot run', () =>
    expectRefused(program('tf.zeros([2, 2]);'), 'compile', /tf\.zeros is not available in this search space/));
});

describe('the sandbox accepts', () => {
  it('a program with helper functions', async () => {
    const code = `const conv = (tf, filters) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' });
function head(tf, numClasses) {
  return [tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: numClasses, activation: 'softmax' })];
}
function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  [16, 32].forEach((filters) => { model.add(conv(tf, filters)); model.add(tf.layers.maxPooling2d({ poolSize: 2 })); });
  head(tf, numClasses).forEach((layer) => model.add(layer));
  return model;
}`;
    const result = await compiler.compile(code);
    if (!result.ok) throw new Error(result.failure.message);
    expect(result.model.layers.map((layer) => layer.className)).toEqual([
      'InputLayer',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'GlobalAveragePooling2D',
      'Dense',
    ]);
    expect(result.model.layers.at(-2)?.outputShape).toEqual([32]);
  });

  it('a residual (functional) model', async () => {
    const code = `function buildModel(tf, { inputShape, numClasses }) {
  const input = tf.input({ shape: inputShape });
  const stem = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  const branch = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(stem);
  const sum = tf.layers.add().apply([stem, branch]);
  const out = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(tf.layers.flatten().apply(sum));
  return tf.model({ inputs: input, outputs: out });
}`;
    const result = await compiler.compile(code);
    if (!result.ok) throw new Error(result.failure.message);
    const add = result.model.layers.find((layer) => layer.className === 'Add');
    expect(add?.inbound).toEqual(['conv2d_1', 'conv2d_2']);
    expect(result.model.params).toBe(3 * 3 * 3 * 8 + 8 + (3 * 3 * 8 * 8 + 8) + 32 * 32 * 8 * 10 + 10);
  });
});

describe('the sandbox process', () => {
  // Defence in depth: even a program that escaped the V8 context would run in this process.
  it('cannot write files, start processes or read the environment, and cannot eval', () => {
    const target = join(tmpdir(), `llmatic-sandbox-probe-${process.pid}`);
    rmSync(target, { force: true });
    const probe = `
      const out = {};
      try { require('node:fs').writeFileSync(${JSON.stringify(target)}, 'x'); out.write = 'allowed'; } catch (e) { out.write = e.code; }
      try { require('node:child_process').spawnSync('true'); out.spawn = 'allowed'; } catch (e) { out.spawn = e.code; }
      try { new (require('node:worker_threads').Worker)('1', { eval: true }); out.worker = 'allowed'; } catch (e) { out.worker = e.code; }
      out.env = Object.keys(process.env).length;
      try { eval('1'); out.eval = 'allowed'; } catch (e) { out.eval = e.name; }
      console.log(JSON.stringify(out));`;
    const args = childArguments(64).slice(0, -1); // the flags, without the runner
    const child = spawnSync(process.execPath, [...args, '--eval', probe], { env: {}, encoding: 'utf8' });
    expect(JSON.parse(child.stdout)).toEqual({
      write: 'ERR_ACCESS_DENIED',
      spawn: 'ERR_ACCESS_DENIED',
      worker: 'ERR_ACCESS_DENIED',
      env: 0,
      eval: 'EvalError',
    });
    expect(existsSync(target)).toBe(false);
  });
});
