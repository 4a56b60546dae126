/**
 * The screen wake lock while a track is recorded: asked for when the page is visible, given up by the
 * browser when the page is hidden and asked for again when it is visible again, released on stop, and a
 * refusal said with the browser's sentence.
 */
import { describe, expect, it } from 'vitest';
import { holdWakeLock, type Sentinel, type WakeLock, type WakeLockEnv } from '../../../../client/src/pages/field/use-wake-lock';

/** A page and its browser: `hide()` drops the held lock as a browser does; `answer` decides the next request. */
function fakePage() {
  let visible = true;
  const listeners = new Set<() => void>();
  const sentinels: { released: boolean; fire: () => void }[] = [];
  let answer: 'grant' | 'refuse' = 'grant';
  let requests = 0;
  const make = (): Sentinel => {
    const onRelease: (() => void)[] = [];
    const s = {
      released: false,
      release: async () => {
        if (s.released) return;
        s.released = true;
        for (const l of onRelease) l();
      },
      addEventListener: (_type: 'release', l: () => void) => void onRelease.push(l),
      fire: () => void s.release(),
    };
    sentinels.push(s);
    return s;
  };
  const env: WakeLockEnv = {
    request: async () => {
      requests++;
      if (answer === 'refuse') throw new DOMException('Wake Lock permission request denied', 'NotAllowedError');
      return make();
    },
    visible: () => visible,
    onVisibility: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const setVisible = (v: boolean) => {
    visible = v;
    if (!v) for (const s of sentinels) if (!s.released) s.fire();
    for (const l of [...listeners]) l();
  };
  return {
    env,
    sentinels,
    listeners,
    hide: () => setVisible(false),
    show: () => setVisible(true),
    refuseNext: () => void (answer = 'refuse'),
    grantNext: () => void (answer = 'grant'),
    requests: () => requests,
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('holdWakeLock', () => {
  it('holds the lock, asks again when the page is visible again, and releases it on stop', async () => {
    const page = fakePage();
    const states: WakeLock['state'][] = [];
    const stop = holdWakeLock(page.env, (l) => states.push(l.state));
    await settled();
    expect(states).toEqual(['on']);

    page.hide();
    await settled();
    expect(states).toEqual(['on', 'off']);
    // Hidden: nothing is asked (the browser would refuse).
    expect(page.requests()).toBe(1);

    page.show();
    await settled();
    expect(states).toEqual(['on', 'off', 'on']);
    expect(page.requests()).toBe(2);
    // Visible again while it is held: not asked twice.
    page.show();
    await settled();
    expect(page.requests()).toBe(2);

    stop();
    await settled();
    expect(page.sentinels.map((s) => s.released)).toEqual([true, true]);
    expect(states.at(-1)).toBe('off');
    expect(page.listeners.size).toBe(0);
  });

  it('does not ask while the page starts hidden, and asks once it is shown', async () => {
    const page = fakePage();
    page.hide();
    const states: WakeLock['state'][] = [];
    const stop = holdWakeLock(page.env, (l) => states.push(l.state));
    await settled();
    expect(page.requests()).toBe(0);
    page.show();
    await settled();
    expect(states).toEqual(['on']);
    stop();
  });

  it('says when the browser refuses, with its sentence, and tries again on the next return to the page', async () => {
    const page = fakePage();
    page.refuseNext();
    const seen: WakeLock[] = [];
    const stop = holdWakeLock(page.env, (l) => seen.push(l));
    await settled();
    expect(seen).toEqual([{ state: 'refused', reason: 'NotAllowedError: Wake Lock permission request denied' }]);
    page.grantNext();
    page.hide();
    page.show();
    await settled();
    expect(seen.at(-1)).toEqual({ state: 'on', reason: null });
    stop();
  });

  it('a lock granted after stop is released at once', async () => {
    const page = fakePage();
    const states: WakeLock['state'][] = [];
    const stop = holdWakeLock(page.env, (l) => states.push(l.state));
    stop();
    await settled();
    expect(page.sentinels.map((s) => s.released)).toEqual([true]);
    expect(states).toEqual(['off']);
  });
});
