import { readFileSync } from 'node:fs';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';

// Several pages add to one stylesheet; a rule left unclosed by a merge swallows every rule after it
// without any build error (the minifier drops them), so the sheet is parsed here.
describe('client/src/app/app.css', () => {
  it('parses, and every page has its rules', () => {
    const css = readFileSync(new URL('../../../client/src/app/app.css', import.meta.url), 'utf8');
    const root = postcss.parse(css);
    const selectors = new Set<string>();
    root.walkRules((r) => r.selectors.forEach((s) => selectors.add(s)));
    for (const s of ['.topbar', '.map-view', '.route-tool', '.login-card', '.plan-page', '.ledger-main', '.admin-page', '.admin-table']) {
      expect(selectors.has(s), s).toBe(true);
    }
    // No rule nested inside another by accident (only @media/@supports may hold rules).
    root.walkRules((r) => {
      expect(r.parent?.type === 'root' || r.parent?.type === 'atrule', `${r.selector} is inside ${r.parent?.type}`).toBe(true);
    });
  });
});
