/**
 * Results of concurrent tasks in the order they finish, awaited one at a time: the steady-state
 * loop reacts to each completion (tell, ask one more) without racing every pending task.
 */
export class CompletionQueue<T> {
  private readonly ready: T[] = [];
  private waiting: ((item: T) => void) | undefined;

  push(item: T): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(item);
    } else {
      this.ready.push(item);
    }
  }

  /** The next finished result; waits when none is ready. One waiter at a time. */
  next(): Promise<T> {
    if (this.ready.length > 0) return Promise.resolve(this.ready.shift() as T);
    if (this.waiting) throw new Error('CompletionQueue.next() is already awaited');
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
