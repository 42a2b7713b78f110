export {
  QueueName,
  JobName,
  JOB_QUEUE,
  ALL_JOB_NAMES,
  ALL_QUEUE_NAMES,
  type JobPayloads,
  type ExportRangeData,
  type RetentionSweepData,
  type CloudImportData,
} from './job-names';
export {
  FINAL_JOB_STATES,
  isFinalJobState,
  PermanentJobError,
  JobCancelledError,
  CANCELLED_REASON,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  retryDelayMs,
  type JobState,
  type JobOptions,
  type AddedJob,
  type JobStatus,
  type JobContext,
  type JobHandlerFn,
  type JobQueue,
  type JobQueueOptions,
} from './job-queue';
export { JobRegistry, JobRegistryError, JobHandler, jobHandlerMethods } from './job-registry';
export { InProcessJobQueue } from './in-process-job-queue';
export { BullMqJobQueue, DEFAULT_PREFIX, toBullId, fromBullId, type BullMqJobQueueOptions, type JobLogger } from './bullmq-job-queue';
export { createJobQueue, type CreateJobQueueOptions } from './create-job-queue';
