import { Inject, Injectable } from '@nestjs/common';
import { MINUTE_US, minuteOf } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';
import type { ActivityMinute, ActivityScan } from '../activity/activity-levels';

@Injectable()
export class ActivityRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  /**
   * A camera's activity in [fromUs, toUs) cut into buckets of `bucketUs` from `fromUs`. A stored minute that
   * lies wholly inside the window and inside one bucket comes back only as that bucket's max_level (so a
   * week in 1000 buckets moves about a thousand small rows, not ten thousand packed minutes); the others
   * (the window's ends, minutes across a bucket edge) come back packed. One primary-key range scan.
   */
  async scan(cameraId: number, fromUs: number, toUs: number, bucketUs: number): Promise<ActivityScan> {
    const rows: { bucket: number | null; level: number | null; minute_us: number | null; entries: Buffer | null }[] = await this.ds.query(
      `WITH r AS (
         SELECT minute_us, max_level, entries,
                minute_us >= $2::int8 AND minute_us + ${MINUTE_US} <= $3::int8
                  AND (minute_us - $2::int8) / $4::int8 = (minute_us + ${MINUTE_US - 1} - $2::int8) / $4::int8 AS whole
           FROM motion_activity WHERE camera_id = $1 AND minute_us >= $5::int8 AND minute_us < $3::int8)
       SELECT (minute_us - $2::int8) / $4::int8 AS bucket, max(max_level)::int AS level, NULL::int8 AS minute_us, NULL::bytea AS entries
         FROM r WHERE whole GROUP BY 1
       UNION ALL
       SELECT NULL, NULL, minute_us, entries FROM r WHERE NOT whole`,
      [cameraId, fromUs, toUs, bucketUs, minuteOf(fromUs)],
    );
    const scan: ActivityScan = { buckets: [], minutes: [] };
    for (const r of rows) {
      if (r.entries === null) scan.buckets.push({ bucket: r.bucket!, level: r.level! });
      else scan.minutes.push({ minuteUs: r.minute_us!, entries: r.entries });
    }
    return scan;
  }

  /** The stored minutes of a camera that can hold GOPs starting in [fromUs, toUs), all packed (what `scan` must agree with; tests and tools). */
  minutes(cameraId: number, fromUs: number, toUs: number): Promise<ActivityMinute[]> {
    return this.ds.query(
      `SELECT minute_us AS "minuteUs", entries FROM motion_activity WHERE camera_id = $1 AND minute_us >= $2 AND minute_us < $3 ORDER BY minute_us`,
      [cameraId, minuteOf(fromUs), toUs],
    );
  }
}
