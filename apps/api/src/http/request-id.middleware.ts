import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A well-formed X-Request-Id from the caller, or a new one. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/** Takes a well-formed X-Request-Id from the caller or makes one; echoes it on the response. */
export function requestId(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  const id = requestIdOf(req.headers['x-request-id']);
  req.id = id;
  res.setHeader('X-Request-Id', id);
  next();
}
