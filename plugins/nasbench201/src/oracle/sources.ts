/**
 * Public sources of the table, pinned to the commits named in the table's README, each checked
 * by its git blob id, and the checksums of the result.
 */
export interface SourceFile {
  /** What the file is, for messages. */
  name: string;
  /** Download addresses, tried in order (mirrors hold byte-identical copies). */
  urls: readonly string[];
  /** Git blob id (SHA-1 of `blob <size>\0<content>`) the download must have. */
  gitBlob: string;
}

export interface Nb201Sources {
  /** Source A: NATS-tss test accuracies (CIFAR-10, CIFAR-100, ImageNet16-120); row order = index. */
  natsTest: SourceFile;
  /** Source B: NATS-tss `cifar10-valid` validation accuracy and training time. */
  natsValid: SourceFile;
  /** Source C: the older NAS-Bench-201 release, one JSON file per dataset. */
  nb201Cifar10: SourceFile;
  nb201Cifar100: SourceFile;
  nb201Imagenet: SourceFile;
}

const raw = (repo: string, commit: string, path: string) =>
  `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;

const GENIUS = 'mingkai-zheng/GENIUS';
const GENIUS_COMMIT = '969d4f9e23d4bf15640c97e82cea610edc103eba';
const LAPT = 'milkmilk511/LAPT';
const LAPT_COMMIT = 'de0a5534f3c54f773ec6833074e09c90019c54f6';

const nb201 = (dataset: string, gitBlob: string): SourceFile => ({
  name: `NAS-Bench-201 ${dataset} accuracies (${GENIUS} benchmark/nasbench201_${dataset}.json)`,
  urls: [
    raw(GENIUS, GENIUS_COMMIT, `benchmark/nasbench201_${dataset}.json`),
    raw(LAPT, LAPT_COMMIT, `nasbench201_${dataset}.json`),
  ],
  gitBlob,
});

export const NB201_SOURCES: Nb201Sources = {
  natsTest: {
    name: 'NATS-Bench tss test accuracies (v-tao/nats-bench-landscape nats_bench.csv)',
    urls: [raw('v-tao/nats-bench-landscape', '312680307c44fd111146b2be0d0148194fbb2ca8', 'nats_bench.csv')],
    gitBlob: 'a15806cde5e774239a51874d4ba1db74950a5127',
  },
  natsValid: {
    name: 'NATS-Bench tss CIFAR-10 validation accuracies (gabro8a/NAS-Landscapes data/accuracy/cifar10_avg.csv)',
    urls: [raw('gabro8a/NAS-Landscapes', '35a0b81400d9030e48a82cc372879fa7c32270aa', 'data/accuracy/cifar10_avg.csv')],
    gitBlob: 'be9057c7dd7a0e509cd1b1848c3bce3b54872d61',
  },
  nb201Cifar10: nb201('cifar10', '77e8609254ec3287a1372b1491832683b612b6c6'),
  nb201Cifar100: nb201('cifar100', 'a942044754c0334c9935a999816b686f732dfcb5'),
  nb201Imagenet: nb201('imagenet', '377f81f740f8ef0d03844dde734f0ab82d6aabdb'),
};

/** SHA-256 of the uncompressed table (the CSV text), from the table's README. */
export const NB201_TABLE_SHA256 = 'ead5f57fc8aa481c2e62c1f890d1e1efd4e2e2f7a9978699062fefc1954fea4f';

/** SHA-256 of the published `nb201.csv.gz` (a rebuilt file's gzip bytes may differ). */
export const NB201_TABLE_GZ_SHA256 = '2cc9d7fd440b7b5ce27b749125de353179106f2b340734d727d2f2eb16166faf';

/** Number of architectures in the benchmark. */
export const NB201_SIZE = 15_625;
