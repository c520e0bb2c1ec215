import { describe, expect, it } from 'vitest';
import { extractProgram } from '@llmatic/tfjs';

const BUILD = `function buildModel(tf, { inputShape, numClasses }) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}`;

function code(reply: string): string {
  const result = extractProgram(reply);
  if (!result.ok) throw new Error(`${result.failure.reason}: ${result.failure.message}`);
  return result.code;
}

function failure(reply: string): { reason: string; message: string } {
  const result = extractProgram(reply);
  if (result.ok) throw new Error(`expected a failure, got:\n${result.code}`);
  return result.failure;
}

describe('extractProgram', () => {
  it.each(['js', 'javascript', 'JavaScript', ''])('takes the code of a ```%s fence and drops the prose', (language) => {
    const reply = `Sure! Here is a better network:\n\n\`\`\`${language}\n${BUILD}\n\`\`\`\n\nIt adds nothing, but it works.`;
    expect(code(reply)).toBe(`${BUILD}\n`);
  });

  it('strips TypeScript annotations from a ```ts fence', () => {
    const reply = `\`\`\`ts
function buildModel(tf: any, { inputShape, numClasses }: { inputShape: number[]; numClasses: number }): any {
  const units: number = numClasses;
  return tf.sequential({ layers: [tf.layers.flatten({ inputShape }), tf.layers.dense({ units })] });
}
\`\`\``;
    const extracted = code(reply);
    expect(extracted).not.toMatch(/: number|: any/);
    expect(extracted).toMatch(/function buildModel\(tf, \{ inputShape, numClasses \}\)/);
  });

  it('takes a reply without fences, dropping the prose before the code', () => {
    const reply = `Here is the improved network.\n${BUILD}\n`;
    expect(code(reply)).toBe(`${BUILD}\n`);
  });

  it('takes a reply without fences, dropping the prose after the code', () => {
    const reply = `${BUILD}\n\nThis network is better because it is deeper.\nIt should reach 60%.`;
    expect(code(reply)).toBe(`${BUILD}\n`);
  });

  it('keeps helper functions defined before buildModel in the same block', () => {
    const helper = `const convBlock = (tf, filters) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' });\n\nfunction widen(n) {\n  return n * 2;\n}`;
    expect(code(`\`\`\`javascript\n${helper}\n\n${BUILD}\n\`\`\``)).toBe(`${helper}\n\n${BUILD}\n`);
  });

  it('merges helpers from other blocks and picks the block that defines buildModel', () => {
    const helper = `function convBlock(tf, filters) {\n  return tf.layers.conv2d({ filters, kernelSize: 3 });\n}`;
    const usage = `const model = buildModel(tf, { inputShape: [32, 32, 3], numClasses: 10 });\nmodel.summary();`;
    const reply = `First a helper:\n\`\`\`js\n${helper}\n\`\`\`\nThen the network:\n\`\`\`js\n${BUILD}\n\`\`\`\nUse it like this:\n\`\`\`js\n${usage}\n\`\`\``;
    expect(code(reply)).toBe(`${helper}\n\n${BUILD}\n`);
  });

  it('takes the last definition when the reply restates buildModel', () => {
    const first = BUILD.replace("activation: 'softmax'", "activation: 'relu'");
    const reply = `Draft:\n\`\`\`js\n${first}\n\`\`\`\nCorrected:\n\`\`\`js\n${BUILD}\n\`\`\``;
    expect(code(reply)).toBe(`${BUILD}\n`);
  });

  it('ignores blocks in other languages', () => {
    const reply = `\`\`\`bash\nnpm install @tensorflow/tfjs\n\`\`\`\n\`\`\`js\n${BUILD}\n\`\`\``;
    expect(code(reply)).toBe(`${BUILD}\n`);
  });

  it('removes imports of TensorFlow.js and export keywords, keeps other imports', () => {
    const reply = `\`\`\`js\nimport * as tf from '@tensorflow/tfjs';\nconst tfn = require('@tensorflow/tfjs-node');\nimport fs from 'fs';\n\nexport default ${BUILD}\n\`\`\``;
    const extracted = code(reply);
    expect(extracted).not.toMatch(/@tensorflow|export/);
    expect(extracted).toMatch(/import fs from 'fs'/);
    expect(extracted).toMatch(/^function buildModel/m);
  });

  it('turns an exported arrow function into a definition of buildModel', () => {
    const reply = '```js\nexport const buildModel = (tf, { inputShape, numClasses }) => tf.sequential();\n```';
    expect(code(reply)).toBe('const buildModel = (tf, { inputShape, numClasses }) => tf.sequential();\n');
  });

  it('reports truncated code: unbalanced braces at the end of the reply', () => {
    const cut = BUILD.slice(0, BUILD.indexOf('return model'));
    const result = failure(`Here you go:\n\`\`\`javascript\n${cut}`);
    expect(result.reason).toBe('extraction');
    expect(result.message).toMatch(/truncated.*1 unclosed '\{'/);
  });

  it('reports truncated code inside a string or comment', () => {
    expect(failure(`\`\`\`js\nfunction buildModel(tf) {\n  /* a long comment that never`).message).toMatch(/truncated/);
  });

  it('hands on code with a genuine syntax error, for the compiler to report', () => {
    const broken = BUILD.replace('const model =', 'const model = =');
    expect(code(`\`\`\`js\n${broken}\n\`\`\``)).toBe(`${broken}\n`);
  });

  it('fails when no buildModel is defined', () => {
    const result = failure('```js\nfunction makeNet(tf) { return tf.sequential(); }\n```');
    expect(result.reason).toBe('extraction');
    expect(result.message).toMatch(/no definition of buildModel/);
  });

  it('fails when the reply holds only code in another language', () => {
    const result = failure('```python\nclass Net(nn.Module):\n    pass\n```');
    expect(result.message).toMatch(/only in python/);
  });

  it('fails on an empty reply', () => {
    expect(failure('  \n ').message).toMatch(/empty/);
  });

  it('never throws', () => {
    const odd = ['```', '``````', '```js\n```', '\u0000\uffff', '{'.repeat(10_000), '```js\n' + '('.repeat(5_000), 'buildModel = '];
    for (const reply of odd) expect(() => extractProgram(reply)).not.toThrow();
  });
});
