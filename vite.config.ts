import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

/** A module id as a path from the repository root; node_modules (a symlink in a worktree) from its own name on. */
function fromRoot(id: string): string {
  const pkg = id.lastIndexOf('/node_modules/');
  if (pkg >= 0) return id.slice(pkg + 1);
  return id.startsWith(ROOT) ? id.slice(ROOT.length) : id;
}

/**
 * Writes dist/client/.vite/modules.json at build: each chunk's file name → the modules bundled into it,
 * as paths from the repository root (node_modules/… for packages, virtual modules as Vite names them). tests/e2e/bundle.test.ts reads
 * it to hold that no chunk carries a server module outside server/contract, nor zod.
 */
function chunkModules(): Plugin {
  return {
    name: 'xuncha:chunk-modules',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: Record<string, string[]> = {};
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks[output.fileName] = output.moduleIds.map(fromRoot).sort();
      }
      this.emitFile({ type: 'asset', fileName: '.vite/modules.json', source: `${JSON.stringify(chunks, null, 1)}\n` });
    },
  };
}

// One config for the client build and both test projects. The client is built into dist/client and
// served by the Hono server from the same origin as the API (no CORS, no outside requests).
export default defineConfig({
  root: 'client',
  // client/public holds the field page's service worker and web manifest, served from the site root.
  publicDir: 'public',
  plugins: [react(), chunkModules()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // `npm run dev:client` (Vite on localhost:5173, hot reload) proxies the server's paths to a running
    // server (`npm run dev`; PORT, default 8080), so the page and the API share one origin as in production.
    proxy: {
      '/api': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
      '/tiles': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
      '/media': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
      '/open311': `http://127.0.0.1:${process.env.PORT ?? 8080}`,
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
