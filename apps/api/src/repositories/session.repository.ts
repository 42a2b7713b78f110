import { Inject, Injectable } from '@nestjs/common';
import { SessionEntity } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

export type SessionRow = Pick<SessionEntity, 'idHash' | 'expiresUs' | 'renewedUs'>;

/** The `sessions` table: rows are found by the hash of a session id, never by the id itself. */
@Injectable()
export class SessionRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  async insert(row: SessionRow): Promise<void> {
    await this.ds.getRepository(SessionEntity).insert(row);
  }

  async get(idHash: string): Promise<SessionRow | undefined> {
    return (await this.ds.getRepository(SessionEntity).findOneBy({ idHash })) ?? undefined;
  }

  /** Moves the expiry on, unless the row is gone (signed out meanwhile). */
  async renew(idHash: string, expiresUs: number, renewedUs: number): Promise<void> {
    await this.ds.getRepository(SessionEntity).update({ idHash }, { expiresUs, renewedUs });
  }

  async delete(idHash: string): Promise<void> {
    await this.ds.getRepository(SessionEntity).delete({ idHash });
  }

  /** Removes every session that ended before `nowUs`; the number removed. */
  async deleteExpired(nowUs: number): Promise<number> {
    const r = await this.ds.createQueryBuilder().delete().from(SessionEntity).where('expires_us <= :nowUs', { nowUs }).execute();
    return r.affected ?? 0;
  }
}
