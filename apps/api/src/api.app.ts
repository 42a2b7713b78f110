import 'reflect-metadata';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ApiDeps } from './api.deps';
import { ApiModule } from './api.module';
import { apiValidationPipe } from './common/validation';
import { LiveUpgradeHandler } from './live/live-upgrade.handler';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('wyze-nvr')
    .setDescription(
      'Recordings, coverage, range playback, exports, retention, storage and cloud import of a Wyze camera NVR. ' +
        'Times are ISO 8601 UTC with Z; ranges are half-open [from, to). Every route but /health and POST /auth/session needs `Authorization: Bearer <API_TOKEN>` ' +
        'or the web app’s session cookie (POST /auth/session); on the cookie, every POST, PUT, PATCH and DELETE also needs the session’s X-CSRF-Token header. ' +
        'Errors are `{ statusCode, code, message, errors?: [{ field, reason }], requestId }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addCookieAuth('wyze_nvr_session')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Builds the API application (not yet listening). */
export async function createApiApp(deps: ApiDeps, logger: LoggerService | false): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(deps), { logger: logger === false ? false : logger, bufferLogs: false });
  app.useBodyParser('json', { limit: '64kb' });
  app.disable('x-powered-by');
  app.useGlobalPipes(apiValidationPipe());
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  // The live WebSocket is an upgrade of the HTTP server's requests, which Nest does not route.
  app.get(LiveUpgradeHandler).attach(app.getHttpServer());
  return app;
}
