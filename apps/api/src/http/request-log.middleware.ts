import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { MetricsService } from '../metrics/metrics.service';

/**
 * One log line per request, when the response ends: request id, method, path (no query string), the
 * matched route, status and time. Feeds the request metrics with the same numbers.
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(
    @Inject(API_DEPS) private readonly deps: ApiDeps,
    private readonly metrics: MetricsService,
  ) {}

  use(req: Request & { id?: string }, res: Response, next: NextFunction): void {
    const t0 = process.hrtime.bigint();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const status = res.writableFinished ? res.statusCode : 499;
      this.metrics.observeRequest(req.method, route, status, seconds);
      this.deps.logger?.info(
        { reqId: req.id, method: req.method, path: req.originalUrl.split('?')[0], route, status, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  }
}
