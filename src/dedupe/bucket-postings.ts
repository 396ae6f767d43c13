/**
 * A multimap from LSH bucket id (an unsigned 30-bit integer) to small integer slots, kept in two
 * typed arrays as an open-addressing table with linear probing: every (bucket, slot) posting has
 * its own position, and a bucket's postings all sit in the probe run that starts at its home.
 *
 * The index holds ~30 postings per recent headline; as a JS Map of numbers that cost ~60 bytes
 * each on a 64-bit heap and was most of the service's live memory. Here a posting costs 8 bytes
 * per position at a load of at most MAX_LOAD, and nothing the garbage collector has to trace.
 */
const EMPTY = -1;
const INITIAL_CAPACITY = 1024;
const MAX_LOAD = 0.7;

export class BucketPostings {
  private buckets = new Uint32Array(INITIAL_CAPACITY);
  /** The slot at each position; EMPTY marks a free position. */
  private slots = new Int32Array(INITIAL_CAPACITY).fill(EMPTY);
  private used = 0;

  get size(): number {
    return this.used;
  }

  add(bucket: number, slot: number): void {
    if (this.used + 1 > this.slots.length * MAX_LOAD) this.grow();
    this.place(bucket, slot);
    this.used += 1;
  }

  /**
   * The next position after `after` (start with -1) that holds a posting of `bucket`, or -1;
   * read its slot with `slotAt`.
   */
  next(bucket: number, after: number): number {
    const mask = this.slots.length - 1;
    let position = after === EMPTY ? bucket & mask : (after + 1) & mask;
    while (this.slots[position] !== EMPTY) {
      if (this.buckets[position] === bucket) return position;
      position = (position + 1) & mask;
    }
    return EMPTY;
  }

  slotAt(position: number): number {
    return this.slots[position];
  }

  /** Removes the posting of `slot` in `bucket`, if present. */
  remove(bucket: number, slot: number): void {
    for (let position = this.next(bucket, EMPTY); position !== EMPTY; position = this.next(bucket, position)) {
      if (this.slots[position] !== slot) continue;
      this.deleteAt(position);
      this.used -= 1;
      return;
    }
  }

  clear(): void {
    this.buckets = new Uint32Array(INITIAL_CAPACITY);
    this.slots = new Int32Array(INITIAL_CAPACITY).fill(EMPTY);
    this.used = 0;
  }

  private place(bucket: number, slot: number): void {
    const mask = this.slots.length - 1;
    let position = bucket & mask;
    while (this.slots[position] !== EMPTY) position = (position + 1) & mask;
    this.buckets[position] = bucket;
    this.slots[position] = slot;
  }

  private grow(): void {
    const oldBuckets = this.buckets;
    const oldSlots = this.slots;
    this.buckets = new Uint32Array(oldBuckets.length * 2);
    this.slots = new Int32Array(oldSlots.length * 2).fill(EMPTY);
    for (let i = 0; i < oldSlots.length; i += 1) if (oldSlots[i] !== EMPTY) this.place(oldBuckets[i], oldSlots[i]);
  }

  /** Deletion without tombstones: later postings of the probe run shift back into the hole. */
  private deleteAt(position: number): void {
    const mask = this.slots.length - 1;
    let hole = position;
    let probe = position;
    for (;;) {
      probe = (probe + 1) & mask;
      if (this.slots[probe] === EMPTY) break;
      const home = this.buckets[probe] & mask;
      // The posting at `probe` may fill the hole unless its home lies cyclically in (hole, probe].
      const homeAfterHole = hole <= probe ? home > hole && home <= probe : home > hole || home <= probe;
      if (homeAfterHole) continue;
      this.buckets[hole] = this.buckets[probe];
      this.slots[hole] = this.slots[probe];
      hole = probe;
    }
    this.slots[hole] = EMPTY;
  }
}
