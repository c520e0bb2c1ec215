export { registerWasmTrainingKernels } from './kernels/register.js';
export { selectBackend, BACKEND_NAMES, type BackendName, type ModuleImporter, type SelectBackendOptions, type SelectedBackend } from './backend/select-backend.js';
export { checkSplits, inMemoryDataset, type DataSplit, type Dataset, type DatasetSplits } from './data/dataset.js';
export { mnistDataset, MNIST_AVAILABLE, type MnistOptions } from './data/mnist.js';
export {
  cifar10Dataset, downloadCifar10, readCifarBatch, CIFAR10_RECORD_BYTES, CIFAR10_SHA256, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES,
  CIFAR10_URL, type Cifar10Options,
} from './data/cifar10.js';
export { modelSpecSchema, type TfjsModelSpec } from './training/model-spec.js';
export { trainSettingsSchema, type TrainSettings, type TrainSettingsInput } from './training/train-settings.js';
export { trainModel, createTrainStep, accuracy, outputsProbabilities, type TrainData, type TrainHooks, type TrainResult, type TrainStep } from './training/train-model.js';
export { loadTrainedModel, modelToArtifacts } from './training/weights-artifacts.js';
export { tfjsTrainer, type TfjsTrainerOptions } from './evaluator.js';
