import path from 'node:path';
import { notFound } from '@ordersystem/platform';
import { cachedFiles, type PlainRoutes, sendBody } from './plain-routes.js';

export interface AdminConsoleOptions {
  /** The console's build output (web/admin/dist): index.html and assets/ with content-hashed names. */
  distDir: string;
}

/**
 * The build output of web/admin, at the same relative place from src/http and dist/http, in the
 * work tree and in the gateway image (which copies it to /app/web/admin/dist).
 */
export const DEFAULT_ADMIN_CONSOLE: AdminConsoleOptions = {
  distDir: path.join(__dirname, '../../../../web/admin/dist'),
};

/**
 * What the console uses, and nothing more: its own scripts and stylesheets, same-origin API calls
 * (Connect and /auth/refresh), and the empty data: icon that keeps the browser from asking for a
 * favicon. Forms submit to script handlers only, so form-action stays 'self' for sign-out.
 */
export const ADMIN_CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Vite names every asset by its content hash, so a name never points at two contents.
const HASHED_ASSET = /^\/admin\/assets\/[A-Za-z0-9._-]+$/;

/**
 * GET /admin (and every path under it the console routes in the browser) answers index.html,
 * never cached so a new release is picked up at once; GET /admin/assets/* answers the hashed
 * files, cached for a year. Returns undefined for paths outside /admin.
 */
export function createAdminConsoleRoutes(options: AdminConsoleOptions = DEFAULT_ADMIN_CONSOLE): PlainRoutes {
  const load = cachedFiles();

  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const { pathname } = url;
    if (pathname !== '/admin' && !pathname.startsWith('/admin/')) return undefined;
    if (pathname.startsWith('/admin/assets/')) {
      const type = TYPES[path.extname(pathname)];
      if (!HASHED_ASSET.test(pathname) || !type) return Promise.reject(notFound(`asset ${pathname}`));
      return load(path.join(options.distDir, 'assets', path.basename(pathname))).then(
        (body) => sendBody(res, body, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' }),
        () => {
          throw notFound(`asset ${pathname}`);
        },
      );
    }
    return load(path.join(options.distDir, 'index.html')).then(
      (body) =>
        sendBody(res, body, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': ADMIN_CONSOLE_CSP,
        }),
      () => {
        throw notFound('admin console (build it with npm run build -w web/admin)');
      },
    );
  };
}
