export { QueueExecutor } from './queue-executor.js';
export { queueExecutor, serveQueueJobs, type ServableQueueExecutor } from './queue-job-server.js';
export { serveQueue, type QueueWorker, type QueueWorkerEvent, type ServeQueueOptions } from './queue-worker.js';
export {
  DEFAULT_QUEUE,
  QUEUE_NAME,
  REDIS_URL,
  queueSettingsOf,
  resolveQueueOptions,
  type QueueExecutorOptions,
  type QueueSettings,
  type RedisConnection,
} from './options.js';
export { describeConnection, QueueUnavailableError } from './redis.js';
export { artifactsKey, jobIdOf } from './wire.js';
