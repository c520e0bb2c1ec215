import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, evaluateProgram, type EvaluationJob, type Executor, type JobResult, type JobServer, type ServeOptions } from '@llmatic/core';

/** Writes `data` so that readers never see half a file: a rename within a folder is atomic. */
async function writeAtomically(file: string, data: unknown): Promise<void> {
  await writeFile(`${file}.part`, JSON.stringify(data));
  await rename(`${file}.part`, file);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Evaluates on every machine that shares a folder (NFS, SMB): `run()` puts `jobs/<id>.json` there
 * and waits for `results/<id>.json`; `llmatic worker CONFIG` (which calls `serve()`) claims jobs by
 * moving them to `claimed/` (one worker wins each rename) and writes their results.
 */
export function folderExecutor(options: { dir: string; pollMs?: number }): Executor & JobServer {
  const pollMs = options.pollMs ?? 200;
  const folders = (dir: string) => ({ jobs: join(dir, 'jobs'), claimed: join(dir, 'claimed'), results: join(dir, 'results') });
  const fileOf = (job: EvaluationJob) => `${job.candidateId.replace(/[^\w.-]/g, '_')}.json`;

  return {
    async run(job, signal) {
      const { jobs, results } = folders(options.dir);
      await Promise.all([mkdir(jobs, { recursive: true }), mkdir(results, { recursive: true })]);
      await writeAtomically(join(jobs, fileOf(job)), job);
      for (;;) {
        try {
          const result = JSON.parse(await readFile(join(results, fileOf(job)), 'utf8')) as JobResult;
          await rm(join(results, fileOf(job)));
          return result;
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
        await sleep(pollMs, undefined, signal ? { signal } : {});
      }
    },

    async close() {},

    async serve<M>({ pipeline, concurrency, settings, onEvent }: ServeOptions<M>) {
      const unknown = Object.keys(settings).filter((name) => name !== 'dir');
      if (unknown.length > 0) throw new ConfigError(`folderExecutor's worker takes --dir PATH only; unknown: ${unknown.map((n) => `--${n}`).join(', ')}.`);
      const dir = settings.dir ?? options.dir;
      const { jobs, claimed, results } = folders(dir);
      await Promise.all([jobs, claimed, results].map((folder) => mkdir(folder, { recursive: true })));
      const released = new AbortController();
      let stopping = false;

      const serveOne = async (name: string) => {
        try {
          await rename(join(jobs, name), join(claimed, name));
        } catch (error) {
          if (isMissing(error)) return; // another worker took it
          throw error;
        }
        const job = JSON.parse(await readFile(join(claimed, name), 'utf8')) as EvaluationJob;
        const result = await evaluateProgram(pipeline, job, released.signal);
        if (released.signal.aborted) {
          await rename(join(claimed, name), join(jobs, name));
          onEvent({ type: 'released', jobId: name, candidateId: job.candidateId });
          return;
        }
        await writeAtomically(join(results, name), result);
        await rm(join(claimed, name));
        onEvent({ type: 'job', jobId: name, candidateId: job.candidateId, result });
      };

      const loop = async () => {
        while (!stopping) {
          const waiting = (await readdir(jobs)).filter((name) => name.endsWith('.json'));
          const name = waiting[Math.floor(Math.random() * waiting.length)];
          if (name === undefined) await sleep(pollMs);
          else await serveOne(name).catch((error: Error) => onEvent({ type: 'error', message: error.message }));
        }
      };
      const loops = Promise.all(Array.from({ length: concurrency }, loop));

      return {
        description: `folder ${dir}`,
        stop: async () => {
          stopping = true;
          await loops;
        },
        release: () => {
          stopping = true;
          released.abort();
        },
      };
    },
  };
}
