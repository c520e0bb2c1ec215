import cliProgress from 'cli-progress';

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

/**
 * Reports a model download on stderr (stdout stays free for the run's own output): a progress
 * bar on a terminal, and one line at the start and the end otherwise (CI logs).
 */
export class DownloadProgress {
  private bar: cliProgress.SingleBar | undefined;
  private started = false;
  private readonly stream = process.stderr;

  constructor(
    private readonly uri: string,
    private readonly cacheDir: string,
    private readonly enabled: boolean,
  ) {}

  update(downloaded: number, total: number): void {
    if (!this.enabled) return;
    if (!this.started) {
      this.started = true;
      this.stream.write(`Downloading model ${this.uri} into ${this.cacheDir}\n`);
      if (this.stream.isTTY && total > 0) {
        this.bar = new cliProgress.SingleBar(
          {
            stream: this.stream,
            format: '  {bar} {percentage}% | {done}/{size} MB | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(total, 0, { done: megabytes(0), size: megabytes(total) });
      }
    }
    this.bar?.update(downloaded, { done: megabytes(downloaded), size: megabytes(total) });
  }

  finish(path: string): void {
    this.bar?.stop();
    if (this.enabled && this.started) this.stream.write(`Downloaded model to ${path}\n`);
  }

  fail(): void {
    this.bar?.stop();
  }
}
