/** The big screen's layout check, shared by the screen and screen-map e2e files. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface Box {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  clipped: boolean;
}

/** Every `[data-box]` element's rectangle, and whether its content is taller or wider than it. */
export function boxes(page: Page): Promise<Box[]> {
  return page.$$eval('[data-box]', (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return {
        name: (el as HTMLElement).dataset.box!,
        x: r.x,
        y: r.y,
        w: r.width,
        h: r.height,
        clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
      };
    }),
  );
}

/** Each box has a width, lies inside the viewport, clips nothing, and overlaps no other box. */
export function expectBoxesLaidOut(all: Box[], width: number, height: number): void {
  for (const b of all) {
    expect(b.w, `${b.name} has no width`).toBeGreaterThan(0);
    expect(
      b.x >= -0.5 && b.y >= -0.5 && b.x + b.w <= width + 0.5 && b.y + b.h <= height + 0.5,
      `${b.name} ${JSON.stringify(b)} outside ${width}×${height}`,
    ).toBe(true);
    expect(b.clipped, `${b.name} clips its content`).toBe(false);
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
      expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
    }
  }
}
