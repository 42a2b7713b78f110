import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiAuthService } from './api-auth.service';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs the API token (ApiAuthService) unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: ApiAuthService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const result = this.auth.authenticate(ctx.switchToHttp().getRequest<Request>());
    if (!result.ok) throw new UnauthorizedException(result.message);
    return true;
  }
}
