/**
 * The browser bundle holds no server code: every chunk's modules (dist/client/.vite/modules.json, written
 * by the build's chunkModules plugin in vite.config.ts) come from client/, server/contract/ or packages,
 * and zod, which only the server's validation needs, is in no chunk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureClientBuilt } from '../../scripts/build-client';

let chunks: Record<string, string[]>;

beforeAll(() => {
  ensureClientBuilt();
  chunks = JSON.parse(readFileSync(join(DIST, '.vite', 'modules.json'), 'utf8')) as Record<string, string[]>;
});

/** `chunk file: module` for every module of every chunk that `bad` picks. */
function offenders(bad: (id: string) => boolean): string[] {
  return Object.entries(chunks).flatMap(([file, ids]) => ids.filter(bad).map((id) => `${file}: ${id}`));
}

describe('client bundle', () => {
  it('lists the modules of every chunk', () => {
    expect(Object.keys(chunks).length).toBeGreaterThan(1);
    expect(Object.values(chunks).flat()).toContain('client/src/main.tsx');
  });

  it('carries no server module outside server/contract', () => {
    expect(offenders((id) => id.startsWith('server/') && !id.startsWith('server/contract/'))).toEqual([]);
  });

  it('carries no zod', () => {
    expect(offenders((id) => id.startsWith('node_modules/zod/'))).toEqual([]);
  });

  it('ships the production builds of React, whatever NODE_ENV the build was started under', () => {
    const ids = Object.values(chunks).flat();
    expect(ids).toContain('node_modules/react-dom/cjs/react-dom-client.production.js');
    expect(ids.filter((id) => /^node_modules\/react(-dom)?\/cjs\/.*development/.test(id))).toEqual([]);
  });
});
