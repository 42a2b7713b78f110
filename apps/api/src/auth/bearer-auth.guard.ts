import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs `Authorization: Bearer <API_TOKEN>` unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_DEPS) deps: ApiDeps,
  ) {
    if (!deps.config.apiToken) throw new Error('API_TOKEN: required but not set');
    // Compare digests so the comparison takes the same time whatever the presented token's length.
    this.expected = createHash('sha256').update(deps.config.apiToken).digest();
  }

  canActivate(ctx: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const header = ctx.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new UnauthorizedException('missing bearer token (Authorization: Bearer <API_TOKEN>)');
    const presented = createHash('sha256').update(m[1]).digest();
    if (!timingSafeEqual(presented, this.expected)) throw new UnauthorizedException('invalid bearer token');
    return true;
  }
}
