import { CamerasChanged1795618400000 } from './1795618400000-cameras-changed';
import { CameraLeases1795619600000 } from './1795619600000-camera-leases';
import { EventKey1795615000000 } from './1795615000000-event-key';
import { Foundation1795612300000 } from './1795612300000-foundation';
import { MotionActivity1795618000000 } from './1795618000000-motion-activity';
import { RecorderStatus1795614246296 } from './1795614246296-recorder-status';
import { RecorderUrl1795616000000 } from './1795616000000-recorder-url';
import { SegmentDeletions1795614232452 } from './1795614232452-segment-deletions';
import { SegmentsPresentIndex1795620400000 } from './1795620400000-segments-present-index';
import { Sessions1795617300000 } from './1795617300000-sessions';

/** Every migration, oldest first. A new migration is a new timestamped file appended here. */
export const migrations = [Foundation1795612300000, SegmentDeletions1795614232452, RecorderStatus1795614246296, EventKey1795615000000, RecorderUrl1795616000000, Sessions1795617300000, MotionActivity1795618000000, CamerasChanged1795618400000, CameraLeases1795619600000, SegmentsPresentIndex1795620400000];

export { STALE_LEASE_SQLSTATE } from './1795619600000-camera-leases';
