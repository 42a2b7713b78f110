// Against the real Redis (REDIS_URL, default redis://127.0.0.1:6379). Each test uses its own key prefix
// and deletes every key under it afterwards.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullMqJobQueue, fromBullId, toBullId } from './bullmq-job-queue';
import { JobName, QueueName } from './job-names';
import { describeJobQueueContract } from './job-queue.contract';
import type { JobQueue, JobQueueOptions } from './job-queue';
import { JobRegistry } from './job-registry';
import { expectEventually, waitForJob } from './testing';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
after(() => admin.quit());

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

class RedisHarness {
  readonly prefix = `test-jobs-${randomUUID()}`;
  private readonly made: JobQueue[] = [];

  make(registry: JobRegistry, opts?: JobQueueOptions & { runWorkers?: boolean }): BullMqJobQueue {
    const queue = new BullMqJobQueue(registry, { ...opts, redisUrl: REDIS_URL, prefix: this.prefix });
    this.made.push(queue);
    return queue;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.made.splice(0).map((q) => q.close()));
    const keys = await keysUnder(this.prefix);
    if (keys.length) await admin.del(...keys);
  }
}

describeJobQueueContract('BullMQ', () => new RedisHarness());

describe('BullMqJobQueue specifics', () => {
  let harness: RedisHarness | undefined;
  afterEach(async () => {
    await harness?.cleanup();
    harness = undefined;
  });

  const registry = (exportRange: (ctx: { signal: AbortSignal }) => unknown) =>
    new JobRegistry()
      .register(JobName.ExportRange, exportRange)
      .register(JobName.RetentionSweep, () => null)
      .register(JobName.CloudImport, () => null);

  test('job ids map to BullMQ ids and back, for ids BullMQ would refuse', () => {
    for (const id of ['retention:cam-1:2024-05-01', 'a:b', '42', '0', 'x%3Ay', '%', randomUUID()]) {
      const bull = toBullId(id);
      assert.ok(!bull.includes(':'), bull);
      assert.notEqual(`${parseInt(bull, 10)}`, bull);
      assert.equal(fromBullId(bull), id);
    }
    assert.notEqual(toBullId('a:b'), toBullId('a%3Ab'));
  });

  test('a process without workers enqueues and cancels a job another process is running', async () => {
    harness = new RedisHarness();
    let sawAbort = false;
    const worker = harness.make(
      registry(
        (ctx) =>
          new Promise((_, reject) =>
            ctx.signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(ctx.signal.reason);
            }),
          ),
      ),
    );
    await worker.start();
    // Producer side: no handlers at all, which start() accepts because it runs no workers.
    const producer = harness.make(new JobRegistry(), { runWorkers: false });
    await producer.start();

    const { id } = await producer.add(JobName.ExportRange, { exportId: 'remote' }, { jobId: 'export:remote' });
    await waitForJob(producer, id, ['active']);
    assert.equal(await producer.cancel(id), true);
    assert.equal((await waitForJob(producer, id)).state, 'cancelled');
    assert.equal(sawAbort, true);
  });

  test('cleanup leaves no keys behind', async () => {
    const local = new RedisHarness();
    const queue = local.make(registry(() => 'ok'));
    await queue.start();
    const { id } = await queue.add(JobName.ExportRange, { exportId: 'k' });
    await waitForJob(queue, id);
    assert.ok((await keysUnder(local.prefix)).length > 0);
    await local.cleanup();
    await expectEventually(async () => assert.deepEqual(await keysUnder(local.prefix), []));
  });
  test('a job seen as completed always carries its result, even when it finishes while being read', async () => {
    // getJob reads the job, then its state; a job finishing in between once came back "completed" with
    // the result of the earlier read (null). Poll hard while many short jobs finish.
    harness = new RedisHarness();
    const q = harness.make(registry(() => ({ ok: true })), { concurrency: { [QueueName.Export]: 4 } });
    await q.start();
    const ids = await Promise.all(Array.from({ length: 40 }, async () => (await q.add(JobName.ExportRange, { exportId: randomUUID() })).id));
    const pending = new Set(ids);
    while (pending.size) {
      await Promise.all(
        [...pending].map(async (id) => {
          const j = await q.getJob(id);
          if (j?.state === 'completed') {
            assert.deepEqual(j.result, { ok: true }, `job ${id} completed without its result`);
            pending.delete(id);
          }
        }),
      );
    }
  });
});
