import { Injectable } from '@nestjs/common';
import { ACTIVITY_THRESHOLD_LEVEL } from '@wyze-nvr/db';
import { toWindow } from '../common/range.dto';
import { formatIsoUs } from '../common/time';
import { MAX_LIST_US, RecordingsService } from '../recordings/recordings.service';
import { ActivityRepository } from '../repositories/activity.repository';
import { activityLevels, bucketsOf } from './activity-levels';
import { DEFAULT_ACTIVITY_BUCKETS, type ActivityDto, type ActivityQuery } from './activity.dto';

@Injectable()
export class ActivityService {
  constructor(
    private readonly activity: ActivityRepository,
    private readonly recordings: RecordingsService,
  ) {}

  /** A camera's motion level per bucket of [from, to) (at most 31 days), from the GOP levels the recorder stored. */
  async levels(cameraId: number, q: ActivityQuery): Promise<ActivityDto> {
    const window = toWindow(q, MAX_LIST_US);
    await this.recordings.requireCamera(cameraId);
    const { bucketMs, count } = bucketsOf(window.fromUs, window.toUs, q.buckets ?? DEFAULT_ACTIVITY_BUCKETS);
    // GOP starts are stored to the millisecond (truncated), so buckets are counted from `from` truncated
    // alike: a GOP at exactly from + k·bucket then falls in bucket k whatever from's sub-millisecond digits.
    const originUs = Math.floor(window.fromUs / 1000) * 1000;
    const scan = await this.activity.scan(cameraId, originUs, window.toUs, bucketMs * 1000);
    return {
      from: formatIsoUs(window.fromUs),
      to: formatIsoUs(window.toUs),
      bucketMs,
      threshold: ACTIVITY_THRESHOLD_LEVEL,
      levels: activityLevels(scan, originUs, window.toUs, bucketMs, count),
    };
  }
}
