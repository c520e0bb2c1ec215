import { z } from 'zod';

/** The three NAS-Bench-201 datasets. */
export const NB201_DATASETS = ['cifar10', 'cifar100', 'imagenet16-120'] as const;
export type Nb201Dataset = (typeof NB201_DATASETS)[number];

/** Facts about a dataset that prompts state (the network around the cell is fixed). */
export interface DatasetFacts {
  /** Display name, e.g. `CIFAR-10`. */
  label: string;
  classes: number;
  /** Input images are `size x size` RGB. */
  size: number;
}

export const DATASET_FACTS: Readonly<Record<Nb201Dataset, DatasetFacts>> = {
  cifar10: { label: 'CIFAR-10', classes: 10, size: 32 },
  cifar100: { label: 'CIFAR-100', classes: 100, size: 32 },
  'imagenet16-120': { label: 'ImageNet16-120', classes: 120, size: 16 },
};

export const datasetSchema = z.enum(NB201_DATASETS, {
  error: (issue) =>
    `unknown NAS-Bench-201 dataset ${JSON.stringify(issue.input)}; use one of ${NB201_DATASETS.map((d) => `'${d}'`).join(', ')}`,
});
