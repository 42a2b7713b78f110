// Behaviour every JobQueue driver must share, run against each driver by its own spec file with the
// same handler code. Not a test file by itself.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobName, QueueName } from './job-names';
import { JobCancelledError, PermanentJobError, type JobContext, type JobHandlerFn, type JobQueue, type JobQueueOptions } from './job-queue';
import { JobHandler, JobRegistry, JobRegistryError } from './job-registry';
import { drain, enqueueAndDrain, enqueueAndWait, expectEventually, gate, waitForJob, type Gate } from './testing';

export interface DriverHarness {
  /** A fresh queue for one test, isolated from every other test (own key prefix for Redis). */
  make(registry: JobRegistry, opts?: JobQueueOptions): JobQueue;
  /** Closes what `make` created and removes its traces. */
  cleanup(): Promise<void>;
}

function registryWith(exportRange: JobHandlerFn<JobName.ExportRange>): JobRegistry {
  return new JobRegistry()
    .register(JobName.ExportRange, exportRange)
    .register(JobName.RetentionSweep, (ctx) => ({ swept: ctx.data.cameraId ?? 'all' }))
    .register(JobName.CloudImport, () => ({ imported: 0 }));
}

/** Rejects with the abort reason as soon as the job is cancelled; the way a well-behaved handler waits. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function describeJobQueueContract(label: string, makeHarness: () => DriverHarness): void {
  describe(`JobQueue contract: ${label}`, () => {
    let harness: DriverHarness;
    const started = async (registry: JobRegistry, opts?: JobQueueOptions) => {
      harness = makeHarness();
      const queue = harness.make(registry, opts);
      await queue.start();
      return queue;
    };
    afterEach(async () => {
      await harness?.cleanup();
    });

    test('runs a job to completion and keeps its result', async () => {
      const queue = await started(registryWith(async (ctx) => ({ path: `/exports/${ctx.data.exportId}.mp4`, attempt: ctx.attempt, id: ctx.id })));
      const status = await enqueueAndWait(queue, JobName.ExportRange, { exportId: 'e1' }, { jobId: 'export:e1' });
      assert.equal(status.state, 'completed');
      assert.deepEqual(status.result, { path: '/exports/e1.mp4', attempt: 1, id: 'export:e1' });
      assert.equal(status.name, JobName.ExportRange);
      assert.equal(status.queue, QueueName.Export);
      assert.deepEqual(status.data, { exportId: 'e1' });
      assert.equal(status.attemptsMade, 1);
      assert.equal(status.error, undefined);
    });

    test('each job name runs on its queue with its own handler', async () => {
      const queue = await started(registryWith(() => 'exported'));
      const statuses = await enqueueAndDrain(queue, [
        { name: JobName.ExportRange, data: { exportId: 'e2' } },
        { name: JobName.RetentionSweep, data: { cameraId: 'cam-1' } },
        { name: JobName.CloudImport, data: {} },
      ]);
      assert.deepEqual(
        statuses.map((s) => [s.queue, s.state, s.result]),
        [
          [QueueName.Export, 'completed', 'exported'],
          [QueueName.Retention, 'completed', { swept: 'cam-1' }],
          [QueueName.Cloud, 'completed', { imported: 0 }],
        ],
      );
    });

    test('progress reported by a running handler is visible', async () => {
      const hold = gate();
      const queue = await started(
        registryWith(async (ctx) => {
          await ctx.updateProgress(40);
          await hold.promise;
          await ctx.updateProgress(100);
          return 'done';
        }),
      );
      const { id } = await queue.add(JobName.ExportRange, { exportId: 'p' });
      try {
        await expectEventually(async () => {
          const s = await queue.getJob(id);
          assert.equal(s?.state, 'active');
          assert.equal(s?.progress, 40);
        });
      } finally {
        // close() waits for active handlers: a held one would hang the run instead of failing it.
        hold.open();
      }
      const done = await waitForJob(queue, id);
      assert.equal(done.state, 'completed');
      assert.equal(done.progress, 100);
    });

    test('a failing job is retried with backoff until it succeeds', async () => {
      const attempts: number[] = [];
      const queue = await started(
        registryWith(async (ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new Error(`camera offline (attempt ${ctx.attempt})`);
          return 'ok';
        }),
      );
      const status = await enqueueAndWait(queue, JobName.ExportRange, { exportId: 'r' }, { attempts: 3, backoffMs: 20 });
      assert.equal(status.state, 'completed');
      assert.equal(status.result, 'ok');
      assert.equal(status.attemptsMade, 3);
      assert.deepEqual(attempts, [1, 2, 3]);
    });

    test('a job that keeps failing ends failed after its attempts, with the last error', async () => {
      let calls = 0;
      const queue = await started(
        registryWith(async (ctx) => {
          calls++;
          throw new Error(`disk full (attempt ${ctx.attempt})`);
        }),
      );
      const status = await enqueueAndWait(queue, JobName.ExportRange, { exportId: 'f' }, { attempts: 2, backoffMs: 10 });
      assert.equal(status.state, 'failed');
      assert.equal(status.error, 'disk full (attempt 2)');
      assert.equal(status.attemptsMade, 2);
      assert.equal(calls, 2);
    });

    test('a PermanentJobError is not retried', async () => {
      let calls = 0;
      const queue = await started(
        registryWith(async () => {
          calls++;
          throw new PermanentJobError('range has no footage');
        }),
      );
      const status = await enqueueAndWait(queue, JobName.ExportRange, { exportId: 'x' }, { attempts: 5, backoffMs: 10 });
      assert.equal(status.state, 'failed');
      assert.equal(status.error, 'range has no footage');
      assert.equal(calls, 1);
    });

    test('a job id is not queued twice while pending, and is free again once finished', async () => {
      const seen: string[] = [];
      const registry = registryWith(async (ctx) => {
        seen.push(ctx.data.exportId);
      });
      harness = makeHarness();
      const queue = harness.make(registry);
      // Ids with ':' and all-digit ids are both legal here, though BullMQ rejects them raw.
      for (const jobId of ['export:cam-1:2024-05-01', 'export:e7', '42']) {
        const first = await queue.add(JobName.ExportRange, { exportId: `${jobId}/a` }, { jobId });
        const second = await queue.add(JobName.ExportRange, { exportId: `${jobId}/b` }, { jobId });
        assert.deepEqual(first, { id: jobId, deduplicated: false });
        assert.deepEqual(second, { id: jobId, deduplicated: true });
      }
      assert.equal(await queue.pending(QueueName.Export), 3);
      await queue.start();
      await drain(queue);
      assert.deepEqual(seen.sort(), ['42/a', 'export:cam-1:2024-05-01/a', 'export:e7/a']);

      const again = await queue.add(JobName.ExportRange, { exportId: 'again' }, { jobId: 'export:e7' });
      assert.deepEqual(again, { id: 'export:e7', deduplicated: false });
      const status = await waitForJob(queue, 'export:e7');
      assert.equal(status.state, 'completed');
      assert.deepEqual(status.data, { exportId: 'again' });
      assert.equal(seen.length, 4);
    });

    test('a job id is not queued twice while its job is active', async () => {
      const hold = gate();
      let calls = 0;
      const queue = await started(
        registryWith(async () => {
          calls++;
          await hold.promise;
        }),
      );
      await queue.add(JobName.ExportRange, { exportId: 'a' }, { jobId: 'export:active' });
      try {
        await waitForJob(queue, 'export:active', ['active']);
        assert.equal((await queue.add(JobName.ExportRange, { exportId: 'a' }, { jobId: 'export:active' })).deduplicated, true);
      } finally {
        hold.open();
      }
      assert.equal((await waitForJob(queue, 'export:active')).state, 'completed');
      assert.equal(calls, 1);
    });

    test('cancelling an active job aborts its signal and ends it cancelled', async () => {
      let reason: unknown;
      const queue = await started(
        registryWith(async (ctx) => {
          try {
            await untilAborted(ctx.signal);
          } catch (err) {
            reason = err;
            throw err;
          }
        }),
      );
      const { id } = await queue.add(JobName.ExportRange, { exportId: 'c' }, { attempts: 3, backoffMs: 10 });
      await waitForJob(queue, id, ['active']);
      assert.equal(await queue.cancel(id), true);
      const status = await waitForJob(queue, id);
      assert.equal(status.state, 'cancelled');
      assert.equal(status.error, 'cancelled');
      assert.ok(reason instanceof JobCancelledError, `handler saw ${String(reason)}`);
      assert.equal(reason.jobId, id);
      assert.equal(await queue.cancel(id), false);
    });

    test('a cancelled handler that returns normally still ends cancelled, not completed', async () => {
      const queue = await started(
        registryWith(async (ctx) => {
          await untilAborted(ctx.signal).catch(() => undefined);
          return 'partial';
        }),
      );
      const { id } = await queue.add(JobName.ExportRange, { exportId: 'c2' });
      await waitForJob(queue, id, ['active']);
      await queue.cancel(id);
      assert.equal((await waitForJob(queue, id)).state, 'cancelled');
    });

    test('cancelling a waiting job means its handler never runs', async () => {
      let calls = 0;
      const registry = registryWith(async () => {
        calls++;
      });
      harness = makeHarness();
      const queue = harness.make(registry);
      const { id } = await queue.add(JobName.ExportRange, { exportId: 'w' });
      const { id: other } = await queue.add(JobName.ExportRange, { exportId: 'w2' });
      assert.equal(await queue.cancel(id), true);
      assert.equal((await queue.getJob(id))?.state, 'cancelled');
      await queue.start();
      assert.equal((await waitForJob(queue, other)).state, 'completed');
      await drain(queue);
      assert.equal(calls, 1);
      assert.equal((await queue.getJob(id))?.state, 'cancelled');
      assert.equal(await queue.cancel('no-such-job'), false);
      assert.equal(await queue.getJob('no-such-job'), undefined);
    });

    test('a queue never runs more jobs at once than its concurrency; other queues are not held up', async () => {
      const gates = new Map<string, Gate>();
      let running = 0;
      let peak = 0;
      const queue = await started(
        registryWith(async (ctx) => {
          running++;
          peak = Math.max(peak, running);
          try {
            await gates.get(ctx.data.exportId)!.promise;
          } finally {
            running--;
          }
        }),
        { concurrency: { [QueueName.Export]: 2 } },
      );
      const names = ['k1', 'k2', 'k3', 'k4'];
      for (const n of names) gates.set(n, gate());
      const ids: string[] = [];
      for (const n of names) ids.push((await queue.add(JobName.ExportRange, { exportId: n })).id);

      try {
        await expectEventually(() => assert.equal(running, 2));
        const states = await Promise.all(ids.map(async (id) => (await queue.getJob(id))?.state));
        assert.equal(states.filter((s) => s === 'active').length, 2);
        assert.equal(states.filter((s) => s === 'waiting').length, 2);

        // The retention queue has its own limit and runs while export is saturated.
        assert.equal((await enqueueAndWait(queue, JobName.RetentionSweep, {})).state, 'completed');
      } finally {
        for (const g of gates.values()) g.open();
      }
      await drain(queue);
      assert.equal(peak, 2);
      for (const id of ids) assert.equal((await queue.getJob(id))?.state, 'completed');
    });

    test('start() refuses a job name without a handler', async () => {
      harness = makeHarness();
      const registry = new JobRegistry().register(JobName.ExportRange, () => 1).register(JobName.RetentionSweep, () => 2);
      const queue = harness.make(registry);
      await assert.rejects(queue.start(), (err: unknown) => {
        assert.ok(err instanceof JobRegistryError);
        assert.deepEqual(err.missing, [JobName.CloudImport]);
        assert.match(err.message, /cloud-import: no handler registered/);
        return true;
      });
    });

    test('start() refuses a job name with two handlers', async () => {
      harness = makeHarness();
      const registry = registryWith(() => 1).register(JobName.ExportRange, function secondExporter() {});
      const queue = harness.make(registry);
      await assert.rejects(queue.start(), /export-range: 2 handlers \(.*secondExporter\), expected one/);
    });

    test('handlers declared with @JobHandler run with their service as `this`', async () => {
      class RetentionService {
        readonly prefix = 'swept';
        @JobHandler(JobName.RetentionSweep)
        async sweep(ctx: JobContext<JobName.RetentionSweep>) {
          return `${this.prefix}:${ctx.data.cameraId}`;
        }
      }
      class ExportService {
        @JobHandler(JobName.ExportRange)
        exportRange(ctx: JobContext<JobName.ExportRange>) {
          return ctx.data.exportId;
        }
        @JobHandler(JobName.CloudImport)
        importCameras() {
          return 0;
        }
      }
      const registry = new JobRegistry().registerInstance(new RetentionService()).registerInstance(new ExportService());
      const queue = await started(registry);
      assert.equal((await enqueueAndWait(queue, JobName.RetentionSweep, { cameraId: 'cam-9' })).result, 'swept:cam-9');
    });
  });
}
