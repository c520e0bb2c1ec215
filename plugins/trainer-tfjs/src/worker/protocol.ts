import type { Artifact, Failure, Metrics } from '@llmatic/core';
import type { BackendName } from '../backend/select-backend.js';
import type { TfjsModelSpec } from '../training/model-spec.js';
import type { TrainSettings } from '../training/train-settings.js';

/** Parent -> training process: the only message, sent once after start. */
export interface TrainRequest {
  type: 'train';
  spec: TfjsModelSpec;
  settings: TrainSettings;
  datasetDir: string;
  backend: BackendName | 'auto';
  wasmThreads: number;
  /** Absolute time (ms since epoch) at which training gives up with 'timeout'. */
  deadline: number;
}

/** Training process -> parent. */
export type WorkerMessage =
  | { type: 'log'; message: string }
  | {
    type: 'result';
    backend: BackendName;
    outcome: { ok: true; fitness: number; metrics: Metrics; artifacts: Artifact[] } | { ok: false; failure: Failure };
  };
