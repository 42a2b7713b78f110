import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { API_DEPS, type ApiDeps } from './api.deps';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { requestId } from './http/request-id.middleware';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: ApiModule,
      controllers: [HealthController],
      providers: [{ provide: API_DEPS, useValue: deps }, HealthService, { provide: APP_GUARD, useClass: BearerAuthGuard }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestId).forRoutes('*');
  }
}
