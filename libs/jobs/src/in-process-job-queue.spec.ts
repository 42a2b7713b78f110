import { InProcessJobQueue } from './in-process-job-queue';
import { describeJobQueueContract } from './job-queue.contract';
import type { JobQueue } from './job-queue';

describeJobQueueContract('in-process', () => {
  const made: JobQueue[] = [];
  return {
    make(registry, opts) {
      const queue = new InProcessJobQueue(registry, opts);
      made.push(queue);
      return queue;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((q) => q.close()));
    },
  };
});
