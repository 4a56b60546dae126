import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the client build and both test projects. The client is built into dist/client and
// served by the Hono server from the same origin as the API (no CORS, no outside requests).
export default defineConfig({
  root: 'client',
  // client/public holds the field page's service worker and web manifest, served from the site root.
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // `npm run dev:client` proxies API and tiles to a running server (PORT, default 8080).
    proxy: {
      '/api': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
      '/tiles': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
    },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: '.',
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: '.',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run test:soak` only (tests/soak/*.soak.ts match neither project above): long runs.
        extends: true,
        test: {
          name: 'soak',
          root: '.',
          include: ['tests/soak/**/*.soak.ts'],
          testTimeout: 4 * 3_600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
