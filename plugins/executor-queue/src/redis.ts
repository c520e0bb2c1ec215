import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConnection } from './options.js';

/** Thrown when Redis cannot be reached; the message names the address and the fix. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** The connection as one line for messages, with any password masked. */
export function describeConnection(connection: RedisConnection): string {
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection);
      if (url.password) url.password = '***';
      return url.toString().replace(/\/$/, '');
    } catch {
      return connection;
    }
  }
  if (connection.path) return `unix:${connection.path}`;
  return `redis://${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}${connection.db ? `/${connection.db}` : ''}`;
}

/** How to start Redis where the connection points, for messages. */
export function startHint(connection: RedisConnection): string {
  let port = 6379;
  if (typeof connection === 'string') {
    try {
      port = Number(new URL(connection).port) || 6379;
    } catch {
      // keep the default port
    }
  } else if (connection.port) {
    port = connection.port;
  }
  return `Start it (e.g. \`redis-server --port ${port}\` on that machine)`;
}

function createClient(connection: RedisConnection, options: RedisOptions): Redis {
  return typeof connection === 'string' ? new Redis(connection, options) : new Redis({ ...connection, ...options });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Checks once, without retrying, that Redis answers at `connection`; throws a
 * {@link QueueUnavailableError} that says what to do when it does not (`orFix`: the other way out). A plain client would
 * retry forever and print a stack per attempt instead.
 */
export async function probeRedis(connection: RedisConnection, orFix: string): Promise<void> {
  const probe = createClient(connection, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
  });
  let lastError: unknown;
  probe.on('error', (error: unknown) => (lastError ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const cause = errorText(lastError ?? error);
    throw new QueueUnavailableError(`Cannot reach Redis at ${describeConnection(connection)} (${cause}). ${startHint(connection)} ${orFix}`);
  } finally {
    probe.disconnect();
  }
}

/**
 * A client for BullMQ, which duplicates it for its blocking reads: commands wait through a
 * broken connection and are sent again once it is back (BullMQ requires
 * `maxRetriesPerRequest: null`), reconnecting with backoff capped at 5 s. `onError` receives the
 * client's errors, which otherwise print unhandled.
 */
export function queueClient(connection: RedisConnection, onError: (error: Error) => void): Redis {
  const client = createClient(connection, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
  });
  client.on('error', onError);
  return client;
}
