import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../auth/public.decorator';

/** apps/web of this checkout or image, found upwards from here (works from src and from dist). */
export function webDir(from = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    const p = join(d, 'apps', 'web');
    if (existsSync(join(p, 'live-player', 'live-player.js'))) return p;
    if (dirname(d) === d) throw new Error('apps/web not found');
  }
}

/** The page asks for the token itself and holds no secret; scripts come from this origin only, media from MSE blobs. */
const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; media-src blob:; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The live view page and its player module, static files of apps/web served without a token (the page
 * asks for it). Until the web app exists (apps/web), these are all there is to it.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private readonly root = webDir();

  @Get('live.html')
  page(@Res() res: Response): void {
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    this.send(res, 'live.html', 'text/html; charset=utf-8');
  }

  @Get('live-page.js')
  pageScript(@Res() res: Response): void {
    this.send(res, 'live-page.js', 'text/javascript; charset=utf-8');
  }

  @Get('live-player.js')
  player(@Res() res: Response): void {
    this.send(res, 'live-player.js', 'text/javascript; charset=utf-8');
  }

  private send(res: Response, file: string, type: string): void {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(type);
    res.sendFile(join(this.root, 'live-player', file));
  }
}
