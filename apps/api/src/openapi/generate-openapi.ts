// Writes the committed OpenAPI document: `node -r ./scripts/register.js apps/api/src/openapi/generate-openapi.ts`
// (test/api-openapi.e2e-spec.ts fails when docs/openapi.json is stale).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@wyze-nvr/config';
import { createDataSource } from '@wyze-nvr/db';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApi, createApiApp } from '../api.app';

export const OPENAPI_FILE = join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json');

/** The document, built from the controllers and DTOs without a database, Redis or a listening socket. */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ API_TOKEN: 'openapi-generation-only', DATA_DIR: '/nonexistent/wyze-nvr-openapi' }, { require: ['API_TOKEN'] });
  const app = await createApiApp({ config, dataSource: createDataSource({ url: 'postgres://unused@127.0.0.1/unused' }), secretKey: new Uint8Array(32), retentionIntervalMs: 0 }, false);
  try {
    return buildOpenApi(app);
  } finally {
    await app.close();
  }
}

export function serializeOpenApi(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (require.main === module) {
  void generateOpenApiDocument().then((doc) => {
    writeFileSync(OPENAPI_FILE, serializeOpenApi(doc));
    process.stdout.write(`wrote ${OPENAPI_FILE} (${Object.keys(doc.paths).length} paths)\n`);
  });
}
