import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from '@wyze-nvr/log';
import type { Request, Response } from 'express';
import { requestId } from '../http/request-id.middleware';
import { DomainError, ERROR_STATUS, type ErrorCode, type FieldError } from './domain.error';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldError[];
  requestId?: string;
  [detail: string]: unknown;
}

const HTTP_CODES: Record<number, ErrorCode> = { 400: 'validation-failed', 401: 'unauthorized', 404: 'not-found', 413: 'payload-too-large' };

/** Turns every error into `{ statusCode, code, message, errors?, requestId }` (errorBodyOf). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger?: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    // Body-parser errors happen before the route middleware ran: give the answer its request id here.
    if (!req.id && !res.headersSent) requestId(req, res, () => undefined);
    const body = errorBodyOf(err, req.id, this.logger);
    if (res.headersSent) {
      // A streamed answer (video.mp4) failed part-way: the only honest signal left is a cut connection.
      this.logger?.warn({ reqId: req.id, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'response failed after headers were sent');
      res.destroy();
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

/**
 * The answer to an error: domain errors carry their code; Nest's HttpExceptions (guard, unknown route) keep
 * their status; body-parser's JSON errors are 400 invalid-json; anything else is a 500 whose details go to
 * the log only, never to the client. Also used for the live WebSocket upgrade, answered outside Nest.
 */
export function errorBodyOf(err: unknown, requestId: string | undefined, logger?: Logger): ErrorBody {
  if (err instanceof DomainError) {
    return { statusCode: err.status, code: err.code, message: err.message, ...err.details, requestId };
  }
  const parserType = (err as { type?: unknown })?.type;
  if (parserType === 'entity.parse.failed') return { statusCode: 400, code: 'invalid-json', message: 'the request body is not valid JSON', requestId };
  if (parserType === 'entity.too.large') return { statusCode: 413, code: 'payload-too-large', message: 'the request body is too large', requestId };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : err.message;
    // Nest turns body-parser's SyntaxError into a bare BadRequestException (routes-resolver), the only 400 not of our making.
    if (status === 400 && /JSON/.test(message)) return { statusCode: 400, code: 'invalid-json', message: 'the request body is not valid JSON', requestId };
    const code = status === 400 ? 'bad-request' : (HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'error'));
    if (status >= 500) logger?.error({ reqId: requestId, err }, 'request failed');
    return { statusCode: status, code, message: status >= 500 ? 'internal error' : message, requestId };
  }
  logger?.error({ reqId: requestId, err }, 'request failed');
  return { statusCode: ERROR_STATUS.internal, code: 'internal', message: 'internal error', requestId };
}
