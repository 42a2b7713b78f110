import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { followJob } from '../api/jobs';
import type { JobRef } from '../api/types';
import { ErrorNote } from '../components/status';
import { formatBytes } from '../format';
import { useAction } from '../hooks';

interface SweepResult {
  bytesFreed: number;
  segmentsDeleted: number;
  resumed: number;
  byReason: { age: number; size: number; freeSpace: number };
}

/** "Run now": queues a retention sweep and reports what it deleted. */
export function RunRetention({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const [report, setReport] = useState<string | undefined>();
  const run = useAction(async () => {
    setReport('Running…');
    const job = await followJob(api, await api.post<JobRef>('/retention/run'));
    if (job.state !== 'completed') {
      setReport(`The sweep ${job.state}${job.error ? `: ${job.error}` : ''}.`);
      return;
    }
    setReport(describe(job.result as SweepResult));
    onDone();
  });
  return (
    <div class="card run-retention">
      <h3>Apply the policy now</h3>
      <p class="hint">Sweeps run every 10 minutes by themselves. Protected events and unfinished exports are never deleted.</p>
      <div class="actions">
        <button type="button" onClick={() => void run.run()} disabled={run.running}>
          {run.running ? 'Running…' : 'Run now'}
        </button>
        <output class="muted" id="retention-report" aria-live="polite">
          {report}
        </output>
      </div>
      <ErrorNote error={run.error} what="Not run" />
    </div>
  );
}

function describe(r: SweepResult): string {
  if (r.segmentsDeleted === 0) return 'Done: nothing was over the limits, nothing deleted.';
  const why = [
    r.byReason.age && `${r.byReason.age} by age`,
    r.byReason.size && `${r.byReason.size} by size`,
    r.byReason.freeSpace && `${r.byReason.freeSpace} for free space`,
  ].filter(Boolean);
  return `Done: ${r.segmentsDeleted} recording file${r.segmentsDeleted === 1 ? '' : 's'} deleted (${why.join(', ')}), ${formatBytes(r.bytesFreed)} freed.`;
}
