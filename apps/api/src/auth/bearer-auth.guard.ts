import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain.error';
import { ApiAuthService, type AuthResult } from './api-auth.service';
import { IS_PUBLIC } from './public.decorator';
import { overHttps, sessionCookie } from './session-cookie';
import { SessionService } from './session.service';

/** What the guard found, for a handler that needs it (GET /auth/session). */
export type AuthenticatedRequest = Request & { auth?: Extract<AuthResult, { ok: true }> };

/**
 * Every route needs the API token or a session cookie (ApiAuthService) unless marked @Public(). A cookie
 * session whose expiry just moved on gets its cookie again, with the new lifetime.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: ApiAuthService,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const result = await this.auth.authenticate(req);
    if (!result.ok) throw new DomainError(result.code, result.message);
    if (result.via === 'cookie' && result.renewed) {
      ctx.switchToHttp().getResponse<Response>().append('Set-Cookie', sessionCookie(result.sessionId, this.sessions.idleSeconds, overHttps(req)));
    }
    req.auth = result;
    return true;
  }
}
