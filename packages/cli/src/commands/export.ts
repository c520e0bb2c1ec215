import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { CVTArchive, RunStore, type CVTArchiveSnapshot } from '@llmatic/core';
import { guard } from '../cli-args.js';

/** One exported elite, as listed in `manifest.json`. */
export interface ExportedElite {
  id: string;
  /** Folder of the model files, relative to the manifest. */
  path: string | null;
  niche: number;
  fitness: number;
  descriptors: Record<string, number>;
  metrics: Record<string, number>;
  info: Record<string, string>;
  code: string;
}

/**
 * `llmatic export RUN_DIR --out DIR`: every elite of the run's archive with its model files
 * (e.g. a tfjs `model.json` + weights, as its evaluator stored them) and a manifest.
 */
export async function exportCommand(runDir: string, options: { out: string }): Promise<number> {
  const dir = resolve(runDir);
  const out = resolve(options.out);
  const store = RunStore.open(dir, { readonly: true });
  try {
    const checkpoint = store.lastCheckpoint();
    if (!checkpoint) throw new Error(`${dir} has no finished generation yet: nothing to export.`);
    const manifest = store.manifest();
    const archive = CVTArchive.fromJSON(checkpoint.resultArchive as CVTArchiveSnapshot<{ id: string }>);
    mkdirSync(out, { recursive: true });
    const elites: ExportedElite[] = archive
      .elites()
      .sort((a, b) => b.fitness - a.fitness)
      .map((elite) => {
        const candidate = store.candidate(elite.payload.id);
        const artifacts = store.artifactDir(elite.payload.id);
        const hasModel = existsSync(artifacts);
        if (hasModel) cpSync(artifacts, join(out, elite.payload.id), { recursive: true });
        return {
          id: elite.payload.id,
          path: hasModel ? elite.payload.id : null,
          niche: elite.niche,
          fitness: elite.fitness,
          descriptors: Object.fromEntries(manifest.descriptors.map((d, i) => [d.name, elite.descriptors[i] ?? NaN])),
          metrics: candidate?.metrics ?? {},
          info: candidate?.info ?? {},
          code: candidate?.code ?? '',
        };
      });
    const document = {
      run: dir,
      space: manifest.space,
      language: manifest.language,
      evaluator: manifest.evaluator,
      generation: checkpoint.generation,
      descriptors: manifest.descriptors,
      elites,
    };
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(document, null, 2)}\n`);
    const withModels = elites.filter((e) => e.path !== null).length;
    process.stderr.write(`exported ${elites.length} elites (${withModels} with model files) to ${out}\n`);
    if (withModels < elites.length) {
      process.stderr.write(
        `${elites.length - withModels} elites have no stored model files: their evaluator keeps none (e.g. a benchmark oracle), or the run used keepArtifacts: 'none'.\n`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

/** The `export` command. */
export function exportCli(): Command {
  return new Command('export')
    .description("write every elite of a run's archive as a model folder, with a manifest")
    .argument('<run-dir>', 'the run folder')
    .requiredOption('-o, --out <dir>', 'output folder')
    .action((dir: string, options: { out: string }) => guard(() => exportCommand(dir, options)));
}
