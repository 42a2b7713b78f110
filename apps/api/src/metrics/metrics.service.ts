import { Injectable } from '@nestjs/common';

/** Upper bounds (seconds) of the request latency histogram. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(obj: Record<string, string>): string {
  return `{${Object.entries(obj).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/**
 * In-memory counters for the Prometheus text format (no client library is installed; the format is
 * small). Routes are the matched route patterns (`/cameras/:id`), never raw URLs, so label sets stay bounded.
 */
@Injectable()
export class MetricsService {
  private readonly requests = new Map<string, { labels: Record<string, string>; hist: Histogram }>();
  private readonly jobOutcomes = new Map<string, { labels: Record<string, string>; n: number }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const l = { method, route, status: String(status) };
    const key = JSON.stringify(l);
    let entry = this.requests.get(key);
    if (!entry) this.requests.set(key, (entry = { labels: l, hist: { counts: BUCKETS.map(() => 0), sum: 0, count: 0 } }));
    const h = entry.hist;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i]++;
    });
    h.sum += seconds;
    h.count++;
  }

  countJob(name: string, outcome: 'completed' | 'failed' | 'cancelled'): void {
    const l = { name, outcome };
    const key = JSON.stringify(l);
    const entry = this.jobOutcomes.get(key) ?? { labels: l, n: 0 };
    entry.n++;
    this.jobOutcomes.set(key, entry);
  }

  render(gauges: { jobsPending: Record<string, number>; exportsByState: Record<string, number>; cameraBytes: Map<number, number>; volume?: { totalBytes: number; freeBytes: number } }): string {
    const out: string[] = [];
    out.push('# HELP nvr_http_requests_total HTTP requests by method, route and status.', '# TYPE nvr_http_requests_total counter');
    for (const { labels: l, hist } of this.requests.values()) out.push(`nvr_http_requests_total${labels(l)} ${hist.count}`);
    out.push('# HELP nvr_http_request_duration_seconds Time to the end of the response.', '# TYPE nvr_http_request_duration_seconds histogram');
    for (const { labels: l, hist } of this.requests.values()) {
      BUCKETS.forEach((b, i) => out.push(`nvr_http_request_duration_seconds_bucket${labels({ ...l, le: String(b) })} ${hist.counts[i]}`));
      out.push(`nvr_http_request_duration_seconds_bucket${labels({ ...l, le: '+Inf' })} ${hist.count}`);
      out.push(`nvr_http_request_duration_seconds_sum${labels(l)} ${hist.sum}`);
      out.push(`nvr_http_request_duration_seconds_count${labels(l)} ${hist.count}`);
    }
    out.push('# HELP nvr_jobs_pending Jobs waiting or active, by queue.', '# TYPE nvr_jobs_pending gauge');
    for (const [queue, n] of Object.entries(gauges.jobsPending)) out.push(`nvr_jobs_pending${labels({ queue })} ${n}`);
    out.push('# HELP nvr_jobs_finished_total Jobs finished in this process, by job name and outcome.', '# TYPE nvr_jobs_finished_total counter');
    for (const { labels: l, n } of this.jobOutcomes.values()) out.push(`nvr_jobs_finished_total${labels(l)} ${n}`);
    out.push('# HELP nvr_exports Export rows by state.', '# TYPE nvr_exports gauge');
    for (const state of ['queued', 'active', 'completed', 'failed', 'cancelled']) out.push(`nvr_exports${labels({ state })} ${gauges.exportsByState[state] ?? 0}`);
    out.push('# HELP nvr_recordings_bytes Bytes of recorded segments, by camera.', '# TYPE nvr_recordings_bytes gauge');
    for (const [camera, bytes] of gauges.cameraBytes) out.push(`nvr_recordings_bytes${labels({ camera: String(camera) })} ${bytes}`);
    if (gauges.volume) {
      out.push('# HELP nvr_volume_free_bytes Free bytes on the recordings volume.', '# TYPE nvr_volume_free_bytes gauge');
      out.push(`nvr_volume_free_bytes ${gauges.volume.freeBytes}`);
      out.push('# HELP nvr_volume_total_bytes Size of the recordings volume.', '# TYPE nvr_volume_total_bytes gauge');
      out.push(`nvr_volume_total_bytes ${gauges.volume.totalBytes}`);
    }
    return `${out.join('\n')}\n`;
  }
}
