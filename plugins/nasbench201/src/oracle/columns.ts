import type { Nb201Dataset } from '../datasets.js';

/** The 19 columns of `nb201.csv.gz`, in file order (see the table's README). */
export const TABLE_COLUMNS = [
  'index',
  'arch',
  'cifar10_test_acc',
  'cifar10_valid_acc',
  'cifar10valid_train_time_s',
  'cifar100_test_acc',
  'imagenet16_120_test_acc',
  'cifar10_test_acc_nb201',
  'cifar10_valid_acc_nb201',
  'cifar100_test_acc_nb201',
  'cifar100_valid_acc_nb201',
  'imagenet16_120_test_acc_nb201',
  'imagenet16_120_valid_acc_nb201',
  'cifar10_flops_m',
  'cifar10_params_m',
  'cifar100_flops_m',
  'cifar100_params_m',
  'imagenet16_120_flops_m',
  'imagenet16_120_params_m',
] as const;

export type TableColumn = (typeof TABLE_COLUMNS)[number];
/** The numeric columns (all but `index` and `arch`). */
export type NumericColumn = Exclude<TableColumn, 'index' | 'arch'>;
export const NUMERIC_COLUMNS = TABLE_COLUMNS.filter((c): c is NumericColumn => c !== 'index' && c !== 'arch');

/**
 * Which benchmark release the accuracies come from. `nats`: NATS-Bench tss, the maintained
 * release, except validation accuracy of CIFAR-100 and ImageNet16-120, which exists only in the
 * older NAS-Bench-201 release (`_nb201` columns). `nb201`: every accuracy from the older release,
 * so validation and test come from the same seed sets.
 */
export type Nb201Release = 'nats' | 'nb201';

/** The table columns an evaluator for one dataset and release reads. */
export interface DatasetColumns {
  valid: NumericColumn;
  test: NumericColumn;
  flops: NumericColumn;
  params: NumericColumn;
  /** Training time exists only for the CIFAR-10 `cifar10-valid` setting. */
  trainTime?: NumericColumn;
}

export function datasetColumns(dataset: Nb201Dataset, release: Nb201Release): DatasetColumns {
  switch (dataset) {
    case 'cifar10':
      return {
        valid: release === 'nats' ? 'cifar10_valid_acc' : 'cifar10_valid_acc_nb201',
        test: release === 'nats' ? 'cifar10_test_acc' : 'cifar10_test_acc_nb201',
        flops: 'cifar10_flops_m',
        params: 'cifar10_params_m',
        trainTime: 'cifar10valid_train_time_s',
      };
    case 'cifar100':
      return {
        valid: 'cifar100_valid_acc_nb201',
        test: release === 'nats' ? 'cifar100_test_acc' : 'cifar100_test_acc_nb201',
        flops: 'cifar100_flops_m',
        params: 'cifar100_params_m',
      };
    case 'imagenet16-120':
      return {
        valid: 'imagenet16_120_valid_acc_nb201',
        test: release === 'nats' ? 'imagenet16_120_test_acc' : 'imagenet16_120_test_acc_nb201',
        flops: 'imagenet16_120_flops_m',
        params: 'imagenet16_120_params_m',
      };
  }
}
