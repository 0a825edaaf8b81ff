import path from 'node:path';
import { notFound } from '@ordersystem/platform';
import { cachedFiles, type PlainRoutes, sendBody } from './plain-routes.js';
import type { NodeResponse } from './respond.js';

export interface DocsRoutesOptions {
  /** The OpenAPI document scripts/openapi generates from the protos (committed beside package.json). */
  openapiFile: string;
  /** Where the pinned swagger-ui-dist package keeps its bundle. */
  swaggerUiDir: string;
}

/** Defaults: the document at the gateway's root (the same path from src/http and dist/http), Swagger UI from node_modules. */
export const DEFAULT_DOCS: DocsRoutesOptions = {
  openapiFile: path.join(__dirname, '../../openapi.json'),
  swaggerUiDir: path.dirname(require.resolve('swagger-ui-dist/package.json')),
};

/**
 * The page needs its own scripts and stylesheet, the inline SVG icons of that stylesheet (data:
 * images) and same-origin requests (the document and "Try it out"); nothing else, and never a CDN.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Order system API reference</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// Outside the page, so the CSP needs no 'unsafe-inline'.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: 'none',
  presets: [SwaggerUIBundle.presets.apis],
});
`;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * GET /openapi.json (the public API as OpenAPI 3.1) and GET /docs (a readable reference of it,
 * Swagger UI served from our own origin). Returns undefined when the path is not one of ours,
 * so it composes with the other plain routes.
 */
export function createDocsRoutes(options: DocsRoutesOptions = DEFAULT_DOCS): PlainRoutes {
  const load = cachedFiles();
  const send = (res: NodeResponse, body: string | Buffer, type: string, cacheControl: string, csp?: string) =>
    sendBody(res, body, {
      'content-type': type,
      'cache-control': cacheControl,
      ...(csp ? { 'content-security-policy': csp, 'x-frame-options': 'DENY' } : {}),
    });

  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const { pathname } = url;
    if (pathname === '/openapi.json') {
      return load(options.openapiFile).then(
        (body) => void send(res, body, 'application/json', 'public, max-age=300'),
        () => {
          throw notFound('OpenAPI document (build it with scripts/openapi)');
        },
      );
    }
    if (pathname === '/docs' || pathname === '/docs/')
      return Promise.resolve(void send(res, PAGE, 'text/html; charset=utf-8', 'no-cache', DOCS_CSP));
    if (pathname === '/docs/init.js')
      return Promise.resolve(void send(res, INIT, 'text/javascript; charset=utf-8', 'no-cache'));
    const asset = pathname.startsWith('/docs/') ? pathname.slice('/docs/'.length) : '';
    const type = ASSETS[asset];
    if (!type) return undefined;
    // The bundle's version is pinned, so a day of caching is safe.
    return load(path.join(options.swaggerUiDir, asset)).then(
      (body) => void send(res, body, type, 'public, max-age=86400'),
    );
  };
}
