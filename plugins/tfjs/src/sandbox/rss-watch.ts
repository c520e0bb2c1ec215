import { readFileSync } from 'node:fs';

/** Resident memory of a process in MB from /proc/<pid>/status, or null where that cannot be read. */
export function residentMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s*(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Whether this system lets a parent read a child's resident memory (Linux /proc). */
export function canWatchRss(): boolean {
  return residentMb(process.pid) !== null;
}

export interface RssWatch {
  /** Highest resident memory seen, in MB. */
  peakMb(): number;
  stop(): void;
}

/**
 * Polls a child's resident memory from the parent and calls `onOver` once it passes `capMb`.
 * The V8 heap cap does not cover memory outside the heap (ICU, buffers), and a number the child
 * reported itself could be forged, so the parent measures. Between two polls a child can
 * overshoot by what it allocates in `intervalMs`.
 */
export function watchRss(pid: number, capMb: number, onOver: (mb: number) => void, intervalMs = 15): RssWatch {
  let peak = 0;
  let fired = false;
  const poll = (): void => {
    const mb = residentMb(pid);
    if (mb === null) return;
    peak = Math.max(peak, mb);
    if (!fired && mb > capMb) {
      fired = true;
      onOver(mb);
    }
  };
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return {
    peakMb: () => peak,
    stop: () => clearInterval(timer),
  };
}
