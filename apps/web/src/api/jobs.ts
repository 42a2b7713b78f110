import type { ApiClient } from './api-client';
import type { JobRef, JobStatus } from './types';

/** How often a running job is asked about. */
const POLL_MS = 500;

/**
 * Follows a job (retention sweep, cloud import) from the reference its POST gave to its end: the finished
 * job, completed, failed or cancelled. `onProgress` hears the percentage while it runs.
 */
export async function followJob(api: ApiClient, ref: JobRef, onProgress?: (percent: number) => void): Promise<JobStatus> {
  for (;;) {
    const job = await api.get<JobStatus>(ref.statusUrl);
    if (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') return job;
    onProgress?.(job.progress);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
