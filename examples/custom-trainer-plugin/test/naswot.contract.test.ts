/** The NASWOT evaluator keeps the evaluator contract of @llmatic/testkit. */
import { describeEvaluatorContract } from '@llmatic/testkit';
import { mnistMinibatch, naswot } from '../src/index.js';
import { convNet, linearNet, smallNet } from './networks.js';

describeEvaluatorContract('naswot', {
  create: () => naswot({ batch: mnistMinibatch({ size: 32 }) }),
  valid: [smallNet(), convNet()],
  invalid: [linearNet()],
  // One image: NASWOT needs pairs.
  misconfigured: () => naswot({ batch: { name: 'one-digit', inputShape: [28, 28, 1], load: async () => new Float32Array(784) } }),
  deterministic: true,
  concurrency: 4,
});
