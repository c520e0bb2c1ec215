// Every example plugged into configs, so their types are checked where users meet them.
import { defineConfig, randomSearch } from '@llmatic/core';
import { nasBench201Space } from '@llmatic/nasbench201';
import { flopsBudget } from './evaluator.js';
import { folderExecutor } from './executor.js';
import { chatCompletions } from './provider.js';
import { widthsSpace } from './space.js';
import { hillClimber } from './strategy.js';

const space = nasBench201Space({ dataset: 'cifar10' });

export const withEvaluatorAndExecutor = defineConfig({
  space,
  evaluator: flopsBudget(150),
  executor: folderExecutor({ dir: '/mnt/shared/llmatic-jobs' }),
  strategy: randomSearch(),
});

export const withProviderAndStrategy = defineConfig({
  space,
  evaluator: flopsBudget(150),
  llm: chatCompletions({ baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen2.5-coder' }),
  strategy: hillClimber(),
});

export const withSpace = defineConfig({
  space: widthsSpace,
  evaluator: {
    name: 'size',
    evaluate: async (model) => ({ ok: true, fitness: -model.widths.reduce((a, b) => a + b, 0), metrics: {} }),
  },
  strategy: randomSearch(),
});
