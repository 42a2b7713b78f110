import type { PGliteOptions } from '@electric-sql/pglite';
import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';

type ConnectCallback = (error: unknown, client: PGlitePool | null, release: () => void) => void;

/** Hands out the single PGlite connection to one query runner at a time. */
class ConnectionLease {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let free!: () => void;
    const held = new Promise<void>((resolve) => (free = resolve));
    const granted = this.tail.then(() => {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        free();
      };
    });
    this.tail = this.tail.then(() => held);
    return granted;
  }
}

// typeorm-pglite keeps its PGlite in a process-wide static, so two open embedded DataSources would
// silently share one database; refuse the second instead.
let embeddedOpen = false;

/**
 * A `pg`-shaped driver module for TypeORM's postgres dialect backed by typeorm-pglite, with two
 * additions: one database per process is enforced, and each query runner leases the connection
 * exclusively. PGlite is a single session, so without the lease two concurrent transactions
 * would interleave their statements in one transaction (pg gives each runner its own session).
 */
export function embeddedDriver(options: PGliteOptions): { Pool: new () => PGlitePool } {
  class EmbeddedPool extends PGlitePool {
    private readonly lease = new ConnectionLease();
    private started = false;

    constructor() {
      if (embeddedOpen) {
        throw new Error('an embedded (PGlite) DataSource is already open in this process; destroy it first');
      }
      super();
      // The constructor's only effect is to store the options typeorm-pglite creates its PGlite from.
      new PGliteDriver(options);
      embeddedOpen = true;
    }

    override async connect(callback: ConnectCallback): Promise<void> {
      const release = await this.lease.acquire();
      await super.connect((error, client) => {
        if (error) {
          release();
          if (!this.started) embeddedOpen = false;
          callback(error, null, release);
          return;
        }
        this.started = true;
        callback(null, client, release);
      });
    }

    override end(callback: (error: unknown) => void): void {
      super.end((error: unknown) => {
        embeddedOpen = false;
        callback(error ?? null);
      });
    }
  }
  return { Pool: EmbeddedPool };
}
