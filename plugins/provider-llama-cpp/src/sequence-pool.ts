import pLimit, { type LimitFunction } from 'p-limit';

/**
 * Lends out a fixed set of items (context sequences) to at most that many concurrent tasks;
 * further tasks wait in FIFO order. An item is returned to the pool when its task settles.
 */
export class Pool<T> {
  private readonly free: T[];
  private readonly limit: LimitFunction;

  constructor(items: readonly T[]) {
    if (items.length === 0) throw new Error('A pool needs at least one item');
    this.free = [...items];
    this.limit = pLimit(items.length);
  }

  use<R>(task: (item: T) => Promise<R>): Promise<R> {
    return this.limit(async () => {
      // p-limit runs at most items.length tasks, so an item is always free here.
      const item = this.free.pop() as T;
      try {
        return await task(item);
      } finally {
        this.free.push(item);
      }
    });
  }
}
