import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const PREFIX = '@ordersystem/contracts/';
const contracts = fileURLToPath(new URL('../../packages/contracts/src/gen/', import.meta.url));

/**
 * The console is served by the gateway at /admin from the same origin as the API. The generated
 * contracts are bundled from their TypeScript sources (ES modules) rather than the CommonJS build.
 * `npm run dev -w web/admin` proxies the API and /auth to a gateway on 127.0.0.1:8080.
 */
export default defineConfig({
  base: '/admin/',
  plugins: [
    react(),
    {
      name: 'ordersystem-contracts-sources',
      enforce: 'pre',
      resolveId: (id) => (id.startsWith(PREFIX) ? `${contracts}${id.slice(PREFIX.length)}_pb.ts` : undefined),
    },
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inlined data: assets and no module-preload polyfill script, so the CSP stays 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One chunk (about 140 kB compressed, React and the API's descriptors included): the console is
    // loaded once per release and then served from the browser's cache (immutable hashed names).
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '^/(auth|ordersystem\\.)': 'http://127.0.0.1:8080' },
  },
});
