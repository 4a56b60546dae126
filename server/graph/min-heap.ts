/**
 * A binary min-heap of (id, value) pairs in typed arrays, reused across searches (mourner/flatqueue):
 * `clear()` keeps the memory, duplicates are allowed (callers skip stale entries on pop), and it
 * grows by doubling when full.
 */
export class MinHeap {
  ids: Uint32Array;
  values: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.ids = new Uint32Array(capacity);
    this.values = new Float64Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(id: number, value: number): void {
    if (this.length === this.ids.length) this.grow();
    let pos = this.length++;
    const ids = this.ids;
    const values = this.values;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pv = values[parent];
      if (value >= pv) break;
      ids[pos] = ids[parent];
      values[pos] = pv;
      pos = parent;
    }
    ids[pos] = id;
    values[pos] = value;
  }

  /** Id of the smallest entry (call only when length > 0). */
  peekId(): number {
    return this.ids[0];
  }

  /** Value of the smallest entry, Infinity when empty. */
  peekValue(): number {
    return this.length > 0 ? this.values[0] : Infinity;
  }

  /** Removes the smallest entry and returns its id (call only when length > 0). */
  pop(): number {
    const ids = this.ids;
    const values = this.values;
    const top = ids[0];
    const last = --this.length;
    if (last > 0) {
      const id = ids[last];
      const value = values[last];
      let pos = 0;
      const half = last >> 1;
      while (pos < half) {
        let child = 2 * pos + 1;
        const right = child + 1;
        if (right < last && values[right] < values[child]) child = right;
        if (values[child] >= value) break;
        ids[pos] = ids[child];
        values[pos] = values[child];
        pos = child;
      }
      ids[pos] = id;
      values[pos] = value;
    }
    return top;
  }

  private grow(): void {
    const ids = new Uint32Array(this.ids.length * 2);
    const values = new Float64Array(this.values.length * 2);
    ids.set(this.ids);
    values.set(this.values);
    this.ids = ids;
    this.values = values;
  }
}
