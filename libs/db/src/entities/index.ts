import { CameraEntity } from './camera.entity';
import { CameraLeaseEntity } from './camera-lease.entity';
import { CameraStatusEntity } from './camera-status.entity';
import { EventEntity } from './event.entity';
import { ExportEntity } from './export.entity';
import { GapEntity } from './gap.entity';
import { MotionActivityEntity } from './motion-activity.entity';
import { RecorderNodeEntity } from './recorder-node.entity';
import { RetentionPolicyEntity } from './retention-policy.entity';
import { SegmentEntity } from './segment.entity';
import { SegmentDeletionEntity } from './segment-deletion.entity';
import { SessionEntity } from './session.entity';

export * from './camera.entity';
export * from './camera-lease.entity';
export * from './camera-status.entity';
export * from './event.entity';
export * from './export.entity';
export * from './gap.entity';
export * from './motion-activity.entity';
export * from './recorder-node.entity';
export * from './retention-policy.entity';
export * from './segment.entity';
export * from './segment-deletion.entity';
export * from './session.entity';

export const entities = [CameraEntity, SegmentEntity, GapEntity, EventEntity, ExportEntity, RetentionPolicyEntity, SegmentDeletionEntity, CameraStatusEntity, SessionEntity, MotionActivityEntity, RecorderNodeEntity, CameraLeaseEntity];
