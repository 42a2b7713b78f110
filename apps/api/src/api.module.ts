import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { API_DEPS, type ApiDeps } from './api.deps';
import { ActivityController } from './activity/activity.controller';
import { ActivityService } from './activity/activity.service';
import { ApiAuthService } from './auth/api-auth.service';
import { AuthController } from './auth/auth.controller';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { SessionService } from './auth/session.service';
import { CamerasController } from './cameras/cameras.controller';
import { CamerasService } from './cameras/cameras.service';
import { CloudController } from './cloud/cloud.controller';
import { CloudLoginService } from './cloud/cloud-login.service';
import { CloudService } from './cloud/cloud.service';
import { ControlsController } from './controls/controls.controller';
import { ControlsService } from './controls/controls.service';
import { ApiExceptionFilter } from './common/exception.filter';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { ExportsController } from './exports/exports.controller';
import { ExportsService } from './exports/exports.service';
import { FramesController } from './frames/frames.controller';
import { FramesService } from './frames/frames.service';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { requestId } from './http/request-id.middleware';
import { RequestLogMiddleware } from './http/request-log.middleware';
import { JobWorkers } from './jobs/job-workers';
import { LiveController } from './live/live.controller';
import { LiveService } from './live/live.service';
import { LiveSessions } from './live/live-sessions';
import { LiveUpgradeHandler } from './live/live-upgrade.handler';
import { JobsController } from './jobs/jobs.controller';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { RecordersController } from './recorders/recorders.controller';
import { RecordersService } from './recorders/recorders.service';
import { RecordingsController } from './recordings/recordings.controller';
import { RecordingsService } from './recordings/recordings.service';
import { ActivityRepository } from './repositories/activity.repository';
import { CameraRepository } from './repositories/camera.repository';
import { ClockRepository } from './repositories/clock.repository';
import { ClusterRepository } from './repositories/cluster.repository';
import { CryptoRepository } from './repositories/crypto.repository';
import { EventRepository } from './repositories/event.repository';
import { ExportRepository } from './repositories/export.repository';
import { JobQueueRepository } from './repositories/job-queue.repository';
import { MediaFileRepository } from './repositories/media-file.repository';
import { PictureDecoderRepository } from './repositories/picture-decoder.repository';
import { RecorderLinkRepository } from './repositories/recorder-link.repository';
import { RecordingRepository } from './repositories/recording.repository';
import { RetentionRepository } from './repositories/retention.repository';
import { SessionRepository } from './repositories/session.repository';
import { RetentionController } from './retention/retention.controller';
import { RetentionService } from './retention/retention.service';
import { StorageController } from './storage/storage.controller';
import { StorageService } from './storage/storage.service';
import { WebController } from './web/web.controller';

const repositories = [
  ActivityRepository,
  CameraRepository,
  ClockRepository,
  ClusterRepository,
  CryptoRepository,
  EventRepository,
  ExportRepository,
  JobQueueRepository,
  MediaFileRepository,
  PictureDecoderRepository,
  RecorderLinkRepository,
  RecordingRepository,
  RetentionRepository,
  SessionRepository,
];

@Module({})
export class ApiModule implements NestModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: ApiModule,
      imports: [ScheduleModule.forRoot()],
      controllers: [
        HealthController,
        AuthController,
        CamerasController,
        RecordersController,
        RecordingsController,
        FramesController,
        LiveController,
        ControlsController,
        ExportsController,
        EventsController,
        ActivityController,
        RetentionController,
        StorageController,
        JobsController,
        CloudController,
        MetricsController,
        WebController,
      ],
      providers: [
        { provide: API_DEPS, useValue: deps },
        ...repositories,
        HealthService,
        MetricsService,
        CamerasService,
        RecordersService,
        RecordingsService,
        FramesService,
        LiveService,
        ControlsService,
        LiveSessions,
        LiveUpgradeHandler,
        ApiAuthService,
        SessionService,
        ExportsService,
        EventsService,
        ActivityService,
        RetentionService,
        StorageService,
        CloudService,
        CloudLoginService,
        JobWorkers,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useFactory: () => new ApiExceptionFilter(deps.logger) },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestId, RequestLogMiddleware).forRoutes('*');
  }
}
