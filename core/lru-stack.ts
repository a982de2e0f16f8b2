// An LRU stack over integer element ids (Mattson et al. 1970, "Evaluation techniques for storage hierarchies"),
// with O(log N) depth queries: a Fenwick tree over access times holds a 1 at each live element's latest access,
// so an element's depth is 1 + the number of live elements accessed after it. Times are renumbered (compacted)
// when the time array fills, so memory stays O(live elements) however long the trace.

/** Smallest time array; it grows to twice the live elements on compaction. */
const MIN_CAPACITY = 1024;

export class LruStack {
  /** Latest access time of each element id, or -1 when it is not on the stack. */
  private lastTime = new Int32Array(MIN_CAPACITY).fill(-1);
  /** The element whose latest access is at each time, or -1. */
  private owner = new Int32Array(MIN_CAPACITY).fill(-1);
  /** Fenwick tree (1-indexed) over times: 1 where owner[t] >= 0. */
  private tree = new Int32Array(MIN_CAPACITY + 1);
  private capacity = MIN_CAPACITY;
  private now = 0;
  private live = 0;

  /** Elements currently on the stack. */
  get size(): number {
    return this.live;
  }

  /** Depth of an element (top = 1), or 0 when it is not on the stack. The stack is unchanged. */
  depthOf(id: number): number {
    const time = id < this.lastTime.length ? this.lastTime[id]! : -1;
    return time < 0 ? 0 : this.live - this.prefix(time) + 1;
  }

  /** Moves an element to the top (placing it there if new); returns its depth before the move, 0 when new. */
  touch(id: number): number {
    if (id >= this.lastTime.length) this.growIds(id);
    const time = this.lastTime[id]!;
    let depth = 0;
    if (time >= 0) {
      // depth = live elements accessed after `time`, plus this one; then clear its old slot (both walks inlined)
      const tree = this.tree;
      const n = this.capacity;
      let before = 0;
      for (let i = time + 1; i > 0; i -= i & -i) before += tree[i]!;
      for (let i = time + 1; i <= n; i += i & -i) tree[i]!--;
      depth = this.live - before + 1;
      this.owner[time] = -1;
    } else {
      this.live++;
    }
    if (this.now === this.capacity) this.compact();
    const slot = this.now++;
    this.lastTime[id] = slot;
    this.owner[slot] = id;
    const tree = this.tree;
    const n = this.capacity;
    for (let i = slot + 1; i <= n; i += i & -i) tree[i]!++;
    return depth;
  }

  /** Takes an element off the stack (a dead value); the elements below it move up by one. */
  remove(id: number): void {
    const time = id < this.lastTime.length ? this.lastTime[id]! : -1;
    if (time < 0) return;
    this.add(time, -1);
    this.owner[time] = -1;
    this.lastTime[id] = -1;
    this.live--;
  }

  /** Element ids from the top of the stack down (for tests and small traces: O(N)). */
  toArray(): number[] {
    const ids: number[] = [];
    for (let t = this.now - 1; t >= 0; t--) if (this.owner[t]! >= 0) ids.push(this.owner[t]!);
    return ids;
  }

  /** Number of live elements whose latest access is at a time <= t. */
  private prefix(t: number): number {
    let sum = 0;
    for (let i = t + 1; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  private add(t: number, delta: number): void {
    const tree = this.tree;
    const n = this.capacity;
    for (let i = t + 1; i <= n; i += i & -i) tree[i]! += delta;
  }

  /** Renumbers the live elements 0..live-1 in access order and rebuilds the tree in O(capacity). */
  private compact(): void {
    const capacity = Math.max(MIN_CAPACITY, 2 * this.live);
    const owner = new Int32Array(capacity).fill(-1);
    let next = 0;
    for (let t = 0; t < this.now; t++) {
      const id = this.owner[t]!;
      if (id < 0) continue;
      owner[next] = id;
      this.lastTime[id] = next++;
    }
    const tree = new Int32Array(capacity + 1);
    for (let i = 1; i <= next; i++) tree[i]! += 1;
    for (let i = 1; i <= capacity; i++) {
      const parent = i + (i & -i);
      if (parent <= capacity) tree[parent]! += tree[i]!;
    }
    this.owner = owner;
    this.tree = tree;
    this.capacity = capacity;
    this.now = next;
  }

  private growIds(id: number): void {
    const grown = new Int32Array(Math.max(2 * this.lastTime.length, id + 1)).fill(-1);
    grown.set(this.lastTime);
    this.lastTime = grown;
  }
}
