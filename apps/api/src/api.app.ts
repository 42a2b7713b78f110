import 'reflect-metadata';
import { INestApplication, LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ApiDeps } from './api.deps';
import { ApiModule } from './api.module';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('wyze-nvr')
    .setDescription('Recordings, coverage, range playback, exports, events and retention of a Wyze camera NVR. Times are ISO 8601 UTC with Z; ranges are half-open [from, to).')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Builds the API application (not yet listening). */
export async function createApiApp(deps: ApiDeps, logger: LoggerService | false): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(deps), { logger: logger === false ? false : logger, bufferLogs: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
