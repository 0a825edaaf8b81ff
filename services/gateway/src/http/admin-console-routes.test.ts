import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_CONSOLE_CSP, createAdminConsoleRoutes } from './admin-console-routes';

/** A built console in a temporary folder, served by the routes on a real port; errors answer 404. */
async function serve(withBuild = true) {
  const dir = mkdtempSync(path.join(tmpdir(), 'admin-console-'));
  if (withBuild) {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'not an asset');
  }
  const routes = createAdminConsoleRoutes({ distDir: dir });
  const server = http.createServer((req, res) => {
    const handled = routes(req, res, new URL(req.url ?? '/', 'http://localhost'));
    if (!handled) return void res.writeHead(418).end();
    handled.catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('admin console routes', () => {
  it('answers index.html for /admin and every console path, never cached, with the console CSP', async () => {
    const s = await serve();
    try {
      for (const p of ['/admin', '/admin/', '/admin/orders/0b6c6a8e-1b1a-4d7e-9f1e-2f3c1a2b3c4d']) {
        const res = await fetch(s.base + p);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('content-security-policy')).toBe(ADMIN_CONSOLE_CSP);
        expect(await res.text()).toContain('<title>admin</title>');
      }
    } finally {
      await s.close();
    }
  });

  it('serves hashed assets for a year and nothing else from the build folder', async () => {
    const s = await serve();
    try {
      const asset = await fetch(`${s.base}/admin/assets/index-AbC123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${s.base}/admin/assets/missing-1.js`)).status).toBe(404);
      expect((await fetch(`${s.base}/admin/assets/..%2Fsecret.txt`)).status).toBe(404);
      expect((await fetch(`${s.base}/admin/assets/index-AbC123.exe`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('leaves other paths and methods to the other routes, and says 404 when the console is not built', async () => {
    const s = await serve(false);
    try {
      expect((await fetch(`${s.base}/administrator`)).status).toBe(418);
      expect((await fetch(`${s.base}/admin`, { method: 'POST' })).status).toBe(418);
      expect((await fetch(`${s.base}/admin`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
