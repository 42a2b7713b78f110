export enum QueueName {
  Export = 'export',
  Retention = 'retention',
  Cloud = 'cloud',
}

export enum JobName {
  ExportRange = 'export-range',
  RetentionSweep = 'retention-sweep',
  CloudImport = 'cloud-import',
}

/** Every job name runs on exactly one queue; the queue sets its concurrency. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = Object.freeze({
  [JobName.ExportRange]: QueueName.Export,
  [JobName.RetentionSweep]: QueueName.Retention,
  [JobName.CloudImport]: QueueName.Cloud,
});

export const ALL_JOB_NAMES: readonly JobName[] = Object.freeze(Object.values(JobName));
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.freeze(Object.values(QueueName));

/** The export row (camera, [from, to), status, path) is the source of truth; the job carries its id. */
export interface ExportRangeData {
  exportId: string;
}

export interface RetentionSweepData {
  /** Absent: every camera. */
  cameraId?: string;
}

export interface CloudImportData {
  /** Absent: the configured account. */
  accountId?: string;
}

/** Payload of each job. Payloads travel as JSON: no Dates, Buffers or bigints. */
export interface JobPayloads {
  [JobName.ExportRange]: ExportRangeData;
  [JobName.RetentionSweep]: RetentionSweepData;
  [JobName.CloudImport]: CloudImportData;
}
