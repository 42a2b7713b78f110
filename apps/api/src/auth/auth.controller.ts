import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain.error';
import { formatIsoUs } from '../common/time';
import { ApiAuthService, sameOrigin } from './api-auth.service';
import { SessionDto, SignInDto } from './auth.dto';
import type { AuthenticatedRequest } from './bearer-auth.guard';
import { Public } from './public.decorator';
import { clearedSessionCookie, overHttps, sessionCookie } from './session-cookie';
import { SessionService } from './session.service';

@ApiTags('auth')
@Controller('auth/session')
export class AuthController {
  constructor(
    private readonly auth: ApiAuthService,
    private readonly sessions: SessionService,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Signs a browser in: the API token, once, for a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS).',
    description:
      'The cookie then authenticates every route, images, video and the live WebSocket (from this origin only). Calls other than GET made on the cookie need the answer’s csrfToken as X-CSRF-Token. The session ends after API_SESSION_IDLE_SECONDS unused (default 7 days); each use moves the end on.',
  })
  @ApiCreatedResponse({ type: SessionDto, headers: { 'Set-Cookie': { description: 'wyze_nvr_session=…; Path=/; Max-Age=…; HttpOnly; SameSite=Strict[; Secure]', schema: { type: 'string' } } } })
  @ApiResponse({ status: 401, description: 'invalid-token: not the API token' })
  @ApiResponse({ status: 403, description: 'origin-refused: sent by a page of another origin' })
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionDto> {
    if (sameOrigin(req) === false) throw new DomainError('origin-refused', 'a sign-in from another origin');
    if (!this.auth.isApiToken(body.token)) throw new DomainError('invalid-token', 'that is not the API token');
    const grant = await this.sessions.create();
    res.append('Set-Cookie', sessionCookie(grant.id, this.sessions.idleSeconds, overHttps(req)));
    return { method: 'cookie', csrfToken: grant.csrfToken, expiresAt: formatIsoUs(grant.expiresUs) };
  }

  @Get()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Whether this request is signed in, and the session’s CSRF token (a page asks at start).' })
  @ApiOkResponse({ type: SessionDto })
  @ApiResponse({ status: 401, description: 'unauthorized: no session; session-expired: it ended' })
  current(@Req() req: AuthenticatedRequest): SessionDto {
    const a = req.auth!;
    return a.via === 'cookie' ? { method: 'cookie', csrfToken: a.csrfToken, expiresAt: formatIsoUs(a.expiresUs) } : { method: 'bearer', csrfToken: null, expiresAt: null };
  }

  @Delete()
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Signs out: the session is deleted on the server (its cookie no longer works anywhere) and the cookie cleared.' })
  @ApiNoContentResponse()
  async signOut(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    const a = req.auth!;
    if (a.via === 'cookie') await this.sessions.revoke(a.sessionId);
    res.append('Set-Cookie', clearedSessionCookie(overHttps(req)));
  }
}
