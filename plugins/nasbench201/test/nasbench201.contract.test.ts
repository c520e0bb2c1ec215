/** NAS-Bench-201's space and oracle keep the plugin contracts of @llmatic/testkit. */
import { afterEach, vi } from 'vitest';
import { describeEvaluatorContract, describeSpaceContract } from '@llmatic/testkit';
import { cellFromOps, nasBench201Oracle, nasBench201Space, printCell, SEED_OPS } from '@llmatic/nasbench201';
import { C1, C3, N, P, S, row, tempDir, writeTable } from './helpers/tables.js';

// A four-row table keeps the oracle's checks fast; the real table is tested in real-table.test.ts.
const inTable = [[...SEED_OPS], [C3, C3, S, C1, N, S], [P, C3, C1, S, S, C3]] as const;
const table = writeTable(inTable.map((ops, i) => row(i, [...ops], 80 + i)).concat(row(99, [N, N, N, N, N, N], 10)));

afterEach(() => {
  vi.unstubAllEnvs();
});

describeSpaceContract('nasbench201', {
  space: () => nasBench201Space({ dataset: 'cifar10' }),
  programs: inTable.map((ops) => printCell([...ops])),
  invalidPrograms: ['node1 = conv9x9(node0)', 'I cannot write this cell.'],
  samples: 20,
});

describeEvaluatorContract('nasbench201 oracle', {
  create: () => nasBench201Oracle({ dataset: 'cifar10', table }),
  valid: inTable.map((ops) => cellFromOps([...ops])),
  // In the cell language but not in this table: the oracle cannot score it.
  invalid: [cellFromOps([C3, C3, C3, C3, C3, C3])],
  misconfigured: () => {
    // The table is nowhere and downloading is off.
    vi.stubEnv('LLMATIC_NB201_TABLE', '');
    return nasBench201Oracle({ dataset: 'cifar10', cacheDir: tempDir(), download: false });
  },
  deterministic: true,
  concurrency: 6,
});
