import { AsyncLocalStorage } from 'node:async_hooks';

/** One holding of a gate: whoever runs inside its async context passes the gate. */
type Holding = { readonly gate: Gate };

type Waiting = { hold: false; run: () => void } | { hold: true; granted: (h: Holding) => void };

/**
 * The one connection of a SQLite store, shared by every request of the process. better-sqlite3 runs each
 * statement synchronously, so a single call needs no guard; a transaction or an open cursor spans awaits,
 * and a statement of another request in between would land inside that transaction (the connection is
 * one) or fail ("connection is busy"). The gate holds those back until the holder lets go.
 *
 * A call while the gate is free runs at once, in the caller's tick, as the synchronous store did; a call
 * from inside the holder's async context (the transaction's own work) passes. Everything else waits, in
 * order.
 */
export class Gate {
  private holding: Holding | null = null;
  private readonly waiting: Waiting[] = [];
  private readonly context = new AsyncLocalStorage<Holding>();

  /** Runs `fn` now if the gate is free or the caller holds it; otherwise once the holder lets go. */
  call<R>(fn: () => R): Promise<R> {
    if (this.passes()) return settle(fn);
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ hold: false, run: () => settle(fn).then(resolve, reject) });
    });
  }

  /** Runs `fn` holding the gate (nested holds by the holder are free). */
  async hold<R>(fn: () => Promise<R>): Promise<R> {
    if (this.heldHere()) return fn();
    const h = await this.acquire();
    try {
      return await this.context.run(h, fn);
    } finally {
      this.release(h);
    }
  }

  /** Takes the gate for a cursor whose reads run outside any one async context; `release` gives it back. */
  acquire(): Promise<Holding> {
    if (!this.holding) {
      this.holding = { gate: this };
      return Promise.resolve(this.holding);
    }
    return new Promise((granted) => this.waiting.push({ hold: true, granted }));
  }

  release(h: Holding): void {
    if (this.holding !== h) return;
    this.holding = null;
    while (this.waiting.length > 0 && !this.holding) {
      const next = this.waiting.shift()!;
      if (next.hold) {
        this.holding = { gate: this };
        next.granted(this.holding);
      } else next.run();
    }
  }

  /** Whether the caller runs inside the holder's async context. */
  heldHere(): boolean {
    return this.holding !== null && this.context.getStore() === this.holding;
  }

  private passes(): boolean {
    return this.holding === null || this.heldHere();
  }
}

function settle<R>(fn: () => R): Promise<R> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
