import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { RunEvent, GenerationStats } from '@llmatic/core';

const percent = (x: number) => `${(100 * x).toFixed(0)}%`;
const fitness = (x: number | null) => (x === null ? '-' : x.toFixed(4));
const tokens = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));

function statsLine(stats: GenerationStats, generations: number, batchSize: number): string {
  const tokenCount = stats.promptTokens + stats.completionTokens;
  return (
    `gen ${stats.generation + 1}/${generations}  evals ${stats.evaluations}/${generations * batchSize}  valid ${stats.valid}  failed ${stats.failed}` +
    `  best ${fitness(stats.bestFitness)}  coverage ${percent(stats.coverage)}  QD ${stats.qdScore.toFixed(1)}  tokens ${tokens(tokenCount)}`
  );
}

function seedLine(fitness: number | null, info: Record<string, string> | undefined): string {
  const facts = Object.entries(info ?? {}).map(([key, value]) => `${key} ${value}`);
  const score = fitness === null ? 'untrainable' : `fitness ${fitness.toFixed(4)}`;
  return `seed network: ${score}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

/**
 * Live progress: a bar per generation on a terminal (cli-progress), one line per generation
 * otherwise (logs, CI).
 */
export class ProgressDisplay {
  private bar: cliProgress.SingleBar | undefined;
  private generations = 0;
  private batchSize = 0;
  private best: number | null = null;
  private last: GenerationStats | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  private get interactive(): boolean {
    return Boolean(this.stream.isTTY);
  }

  handle = (event: RunEvent): void => {
    switch (event.type) {
      case 'start':
        this.generations = event.generations;
        this.batchSize = event.batchSize;
        this.stream.write(
          event.resumedFrom === null
            ? `${pc.bold('llmatic')} ${event.generations} generations x ${event.batchSize} offspring\n`
            : `${pc.bold('llmatic')} resuming after generation ${event.resumedFrom + 1}\n`,
        );
        break;
      case 'generation':
        if (this.interactive) {
          this.bar = new cliProgress.SingleBar(
            {
              format: `gen {gen}/${this.generations} {bar} {value}/{total}  evals {evals}/${this.generations * this.batchSize}  best {best}  coverage {coverage}  tokens {tokens}`,
              hideCursor: true,
              stream: this.stream,
            },
            cliProgress.Presets.shades_classic,
          );
          this.bar.start(this.batchSize, 0, this.payload(event.generation));
        }
        break;
      case 'offspring':
        if (event.id === 'seed') this.stream.write(`${seedLine(event.fitness, event.info)}\n`);
        if (event.fitness !== null && (this.best === null || event.fitness > this.best)) this.best = event.fitness;
        this.bar?.update(event.done, this.payload(event.generation, event.done));
        break;
      case 'checkpoint':
        this.last = event.stats;
        this.bar?.stop();
        this.bar = undefined;
        if (event.stats.generation >= 0) this.stream.write(`${statsLine(event.stats, this.generations, this.batchSize)}\n`);
        break;
      case 'log':
        break;
      case 'stopped':
        this.bar?.stop();
        this.stream.write(`${pc.yellow('stopped')}: ${event.reason}\n`);
        break;
    }
  };

  private payload(generation: number, doneThisGeneration = 0): Record<string, string | number> {
    const last = this.last;
    return {
      gen: generation + 1,
      evals: (last?.evaluations ?? 0) + doneThisGeneration,
      best: fitness(this.best ?? last?.bestFitness ?? null),
      coverage: percent(last?.coverage ?? 0),
      tokens: tokens((last?.promptTokens ?? 0) + (last?.completionTokens ?? 0)),
    };
  }

  stop(): void {
    this.bar?.stop();
  }
}
