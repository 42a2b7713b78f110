import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../auth/public.decorator';

/** The first `<dir>/<rel>` upwards from `from` that holds `probe` (works from src and from dist). */
function findUp(from: string, rel: string, probe: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    const p = join(d, rel);
    if (existsSync(join(p, probe))) return p;
    if (dirname(d) === d) return undefined;
  }
}

/** apps/web of this checkout or image (the live view page and its player module, served as they are). */
export function webDir(from = __dirname): string {
  const dir = findUp(from, join('apps', 'web'), join('live-player', 'live-player.js'));
  if (!dir) throw new Error('apps/web not found');
  return dir;
}

/** The built web app (`npm run build:web` → dist/web), or undefined when it has not been built. */
export function webAppDir(from = __dirname): string | undefined {
  return findUp(from, join('dist', 'web'), 'index.html');
}

/**
 * Pages hold no secret and load nothing from another origin: scripts and styles from here, pictures from
 * here or from object URLs (refreshed snapshots), media from MSE blobs and from here (clips, exports).
 */
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; media-src 'self' blob:; img-src 'self' blob: data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Built asset names carry a content hash (Vite): a name never changes content. */
const ASSET_NAME = /^[\w-]+\.(?:js|css|svg|png|woff2)$/;

/**
 * The web app (dist/web: `/` and `/assets/*`, routes in the URL's hash so none collides with a REST route)
 * and the standalone live page (/live.html with its player module), all without a token: the pages ask
 * for it and exchange it for a session cookie.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private readonly root = webDir();
  private readonly app = webAppDir();

  @Get()
  index(@Res() res: Response): void {
    if (!this.app) {
      res.status(503).type('text/plain').send('The web app is not built: run `npm run build:web` (or `npm run build`).\n');
      return;
    }
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    res.setHeader('Cache-Control', 'no-cache');
    this.send(res, join(this.app, 'index.html'), 'text/html; charset=utf-8');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!this.app || !ASSET_NAME.test(file) || !existsSync(join(this.app, 'assets', file))) {
      res.status(404).type('text/plain').send('not found\n');
      return;
    }
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    this.send(res, join(this.app, 'assets', file));
  }

  @Get('live.html')
  page(@Res() res: Response): void {
    res.setHeader('Content-Security-Policy', PAGE_POLICY);
    res.setHeader('Cache-Control', 'no-cache');
    this.send(res, join(this.root, 'live-player', 'live.html'), 'text/html; charset=utf-8');
  }

  @Get('live-page.js')
  pageScript(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-cache');
    this.send(res, join(this.root, 'live-player', 'live-page.js'), 'text/javascript; charset=utf-8');
  }

  @Get('live-player.js')
  player(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-cache');
    this.send(res, join(this.root, 'live-player', 'live-player.js'), 'text/javascript; charset=utf-8');
  }

  private send(res: Response, path: string, type?: string): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (type) res.type(type);
    res.sendFile(path);
  }
}
