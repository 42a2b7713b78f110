import IORedis from 'ioredis';

/** A lazily connecting client used only for readiness checks. */
export function redisPinger(url: string): { ping: () => Promise<void>; close: () => Promise<void> } {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', () => undefined);
  return {
    async ping() {
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}
