/** The kernel's InProcessExecutor keeps the executor contract of @llmatic/testkit. */
import { InProcessExecutor } from '@llmatic/core';
import { describeExecutorContract } from '@llmatic/testkit';
import { toyEvaluator, toySpace } from './support/toy-space.js';

describeExecutorContract('core InProcessExecutor', {
  create: () => new InProcessExecutor({ space: toySpace, evaluator: toyEvaluator(), descriptors: toySpace.descriptors }),
  valid: ['value = 1', 'value = 342'],
  invalid: ['value = 5000', 'no program here'],
  descriptors: toySpace.descriptors.length,
});
