import { Inject, Injectable } from '@nestjs/common';
import { minuteOf } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';
import type { ActivityMinute } from '../activity/activity-levels';

@Injectable()
export class ActivityRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  /** The stored minutes of a camera that can hold GOPs starting in [fromUs, toUs): a primary-key range scan. */
  async minutes(cameraId: number, fromUs: number, toUs: number): Promise<ActivityMinute[]> {
    const rows: { minute_us: number; entries: Buffer }[] = await this.ds.query(
      `SELECT minute_us, entries FROM motion_activity WHERE camera_id = $1 AND minute_us >= $2 AND minute_us < $3 ORDER BY minute_us`,
      [cameraId, minuteOf(fromUs), toUs],
    );
    return rows.map((r) => ({ minuteUs: r.minute_us, entries: r.entries }));
  }
}
