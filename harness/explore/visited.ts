/**
 * An exact visited set of byte strings, as Spin's hash table with full state
 * storage: the states live one after another in an arena (a length byte, then
 * the bytes), and an open-addressing table with linear probing holds each
 * state in one 32-bit word: in a table of 2^k slots, the low k bits are the
 * state's index + 1 (0 = empty; the table doubles before it is 70% full, so
 * an index always fits), and the high 32 - k bits are the high bits of the
 * state's hash, a tag. The low k bits of the hash give the home slot. A
 * lookup compares the bytes themselves when the tag matches, so two states
 * are one only when they are equal: no fingerprint collisions. Growing the
 * table hashes each stored state again, reading the arena in order. States
 * are numbered 0, 1, ... in insertion order.
 *
 * The layout's history, each measured on the packed engine:
 * - 5 bytes a slot (the index, and an 8-bit tag in a second table) until
 *   2026-12-02: a lookup read two tables.
 * - 8 bytes a slot (the index beside the whole hash) until 2026-12-05: a
 *   table of twice the memory, 22 of upstream's 93 bytes a stored state.
 * - 4 bytes a slot since: one word, one table, half the memory.
 * - Since 2026-12-07 a state's bytes are hashed, copied into the arena and
 *   compared 4 at a time, through DataViews (KeyViews), not one at a time:
 *   upstream's lockstep at patches=3,functions=3,states=2,tasks=2, depth 4,
 *   went from 49.5 and 50.6 cpu-s to 47.0 and 47.3, and its spec model's
 *   whole space at patches=2,functions=2,states=1,tasks=2 from 17.4 and
 *   17.0 s to 15.2 and 15.4 (a bundled run of each in turn).
 */

/** A number of bytes as a report says it: "4 GiB", "1.5 MiB", "300 bytes". */
function bytesInWords(n: number): string {
  const [unit, size] = n >= 2 ** 30 ? ['GiB', 2 ** 30] : n >= 2 ** 20 ? ['MiB', 2 ** 20] : ['bytes', 1];
  return `${Number((n / size).toFixed(1))} ${unit}`;
}

/**
 * murmur3's 32-bit hash (Austin Appleby, public domain) of the bytes
 * b[from, to), read 4 bytes at a time, little end first, so that it is the
 * same at any alignment of `b`.
 */
export function hashBytes(b: Uint8Array, from = 0, to = b.length): number {
  return hashView(hashed.of(b), from, to);
}

/**
 * DataViews of byte arrays, for reading and writing them 4 at a time: the
 * last array asked of is answered with the view made for it, so a caller's
 * reused key buffer, asked of on every transition, gets one view. Each set
 * has its own, as the replace rules' questions and the states each have their
 * buffer. A copy of a 77-byte state into the arena a byte at a time took 250 ns
 * in a loop timed alone; 4 bytes at a time through DataViews, at any
 * alignment, 40 ns (2026-12-07). An array must not be a view that follows a
 * resizable buffer's length.
 */
class KeyViews {
  private bytes: Uint8Array | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  of(bytes: Uint8Array): DataView {
    if (bytes !== this.bytes) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.bytes = bytes;
    }
    return this.view;
  }
}
const hashed = new KeyViews();

/** hashBytes of v's bytes [from, to). */
function hashView(v: DataView, from: number, to: number): number {
  let h = 0x811c9dc5;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    let k = v.getUint32(i, true);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < to) {
    // The last 1 to 3 bytes, as murmur3's tail.
    let k = v.getUint8(i);
    if (i + 1 < to) k |= v.getUint8(i + 1) << 8;
    if (i + 2 < to) k |= v.getUint8(i + 2) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= to - from;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A shared set's buffers, for readers in other threads (VisitedSet.reader):
 * the arena and the offsets are growable and grow in place; the table is
 * replaced when it grows, so a reader must be given the new one.
 */
export interface VisitedHandles {
  /** The arena's chunks, in order (visited.ts VisitedSet: a new one begins when the last is full). */
  readonly arenas: readonly SharedArrayBuffer[];
  /** Int32 per chunk: the number of its first state, or NO_CHUNK for a chunk not begun (written before its states). */
  readonly firsts: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

/**
 * The largest arena chunk and offsets a set reserves (address space, not
 * memory): Node 20's V8 makes no SharedArrayBuffer past 4 GiB, so the arena
 * is chunks of at most that, and state i's place is a 32-bit offset in its
 * chunk; the offsets array stops at 2^28 states.
 */
const ARENA_MAX = 2 ** 32 - 1;
const OFFSETS_MAX = 4 * 2 ** 28;
/** Chunks at most (the shared table of their first states is this long). */
const MAX_CHUNKS = 16;
/** A chunk not begun, in the shared table of first states. */
const NO_CHUNK = 0x7fffffff;
/**
 * The most states the table indexes: it doubles past 70% full, so it stays
 * at 2^28 slots (1 GiB), where a tag keeps 4 bits; the offsets stop at 2^28
 * states in any case.
 */
const TABLE_STATES = Math.floor((2 ** 28 * 7) / 10);

/**
 * The most a set holds: its states' bytes (each with its length byte), their
 * number, and the size of the arena's chunks (tests give small ones, to
 * fill several). The default, 16 GiB of states, is what this 24 GiB machine
 * holds with the table and a search's other arrays: hybrid's whole lockstep
 * space, 168,637,701 states, closed with a peak of 19.8 GiB (2026-12-04).
 * Until then the arena was one chunk, and hybrid's keys, 65.8 bytes with the
 * length byte, filled it at 65,232,167 states, 13 minutes into that search.
 * A search stops at a full set as a state budget stops it (search.ts
 * BreadthFirst.take), with a bounded claim; on a machine with less memory,
 * the kernel's OOM killer may end it first, and --max-states bounds it.
 */
export interface VisitedLimits {
  /** Bytes of the arena: every state's bytes and its length byte. */
  readonly arenaBytes: number;
  /** States. */
  readonly states: number;
  /** Bytes of one chunk of the arena at most (default 4 GiB - 1). */
  readonly chunkBytes?: number;
}

export const VISITED_LIMITS: VisitedLimits = { arenaBytes: 16 * 2 ** 30, states: TABLE_STATES };

export class VisitedSet {
  /** The chunk states are added to (the last), and the bytes used in it. */
  private arena: Uint8Array;
  private used = 0;
  /** Every chunk, the last one the same view as `arena`, and the bytes used in the chunks before the last. */
  private readonly arenas: Uint8Array[];
  /** Each chunk's DataView (KeyViews: states are copied and compared 4 bytes at a time), the last one `arenaView`. */
  private readonly views: DataView[];
  private arenaView: DataView;
  /** The keys' views (KeyViews). */
  private readonly keyViews = new KeyViews();
  private usedBefore = 0;
  /** The bytes used in each chunk before the last (export). */
  private readonly chunkUsed: number[] = [];
  /** Int32 per chunk: the number of its first state (NO_CHUNK past the last), shared with readers. */
  private readonly firsts: Int32Array;
  /** Offset of state i in its chunk (a chunk stays below 4 GiB: checked in append). */
  private offsets: Uint32Array;
  /** The table: slot s holds a state's index + 1 in its low bits and its hash's high bits (slotWord; 0 = empty). */
  private slots: Int32Array;
  private readonly chunkBytes: number;
  size = 0;

  /**
   * `shared`: readers in other threads probe the set while this thread, the
   * only writer, adds (the packed engine's parallel search): the table is a
   * SharedArrayBuffer too, and a slot is published with Atomics.store after
   * its state's bytes, tag and offset are written, and read with
   * Atomics.load, so a reader that finds a state reads it whole.
   */
  constructor(
    private readonly shared = false,
    /** At most this much (VisitedLimits); add() past it throws, so a search asks full() first. */
    private readonly limits: VisitedLimits = VISITED_LIMITS,
  ) {
    this.chunkBytes = limits.chunkBytes ?? ARENA_MAX;
    if (!(limits.states <= TABLE_STATES && this.chunkBytes <= ARENA_MAX && this.chunkBytes >= 256))
      throw new Error('visited: limits past the largest set');
    if (limits.arenaBytes > (MAX_CHUNKS - 1) * this.chunkBytes) throw new Error('visited: an arena of more chunks than a set keeps');
    // The arena and the offsets are growable SharedArrayBuffers, shared or not, grown in place. A copy to a new
    // buffer kept both alive at its peak and touched every page of the used part again (the first write to a page
    // costs about 11 us on this VM): the peak RSS of upstream's lockstep over the whole of
    // patches=2,functions=2,states=1,tasks=2 fell from 1,338 to 795 MiB (bench/results.json, stop 32). Not a
    // resizable ArrayBuffer: one may shrink, so V8 checks every access of its views, and the spec model's search of
    // that space took 21.4 cpu-s where it takes 19.4. Views of a fixed length, made again when the buffer grows: a
    // view that follows a growable buffer's length was 20 times slower to read in Node 20's V8.
    this.arena = newChunk(Math.min(1 << 16, this.chunkBytes), this.chunkBytes);
    this.arenas = [this.arena];
    this.arenaView = chunkView(this.arena);
    this.views = [this.arenaView];
    this.firsts = new Int32Array(new SharedArrayBuffer(4 * MAX_CHUNKS)).fill(NO_CHUNK);
    this.firsts[0] = 0;
    this.offsets = new Uint32Array(new SharedArrayBuffer(4 << 12, { maxByteLength: OFFSETS_MAX }), 0, 1 << 12);
    this.slots = new Int32Array(shared ? new SharedArrayBuffer(4 << 12) : new ArrayBuffer(4 << 12));
  }

  /** A shared set's buffers as they are now (a table that grows is replaced: ask again after adding). */
  handles(): VisitedHandles {
    if (!this.shared) throw new Error('visited: handles of a set that is not shared');
    return {
      arenas: this.arenas.map((a) => a.buffer as SharedArrayBuffer),
      firsts: this.firsts.buffer as SharedArrayBuffer,
      offsets: this.offsets.buffer as SharedArrayBuffer,
      slots: this.slots.buffer as SharedArrayBuffer,
    };
  }

  /** A reader of a shared set in another thread: has() and get() over its buffers, never a write. */
  static reader(h: VisitedHandles): VisitedReader {
    return new VisitedReader(h);
  }

  /**
   * The index of the state `key[0, length)`, inserting it when new; `added`
   * tells which. The length lets the explorer pass its reused key buffer
   * without making a view of it for every transition.
   */
  add(key: Uint8Array, length = key.length): { readonly index: number; readonly added: boolean } {
    const i = this.insert(key, length);
    return i >= 0 ? { index: i, added: true } : { index: ~i, added: false };
  }

  /**
   * add() without a record per call, for the packed search's every
   * transition: the new state's index, or ~index (negative) when it was
   * already there.
   */
  insert(key: Uint8Array, length: number): number {
    const found = this.probe(key, length);
    return found < 0 ? found : this.insertProbed(key, length);
  }

  /**
   * Looks for the state `key[0, length)`: ~index (negative) when the set
   * has it; else the empty slot it would take, which insertProbed fills
   * without looking again, as long as nothing is added in between. A
   * search that decides only after the lookup whether to store a new state
   * (search.ts BreadthFirst.take: a state past a conformance break that a
   * stored one covers is not stored) looks once, not twice.
   */
  probe(key: Uint8Array, length: number): number {
    if (length > 255) throw new Error(`visited: a state of ${length} bytes is longer than 255`);
    const kv = this.keyViews.of(key);
    const h = hashView(kv, 0, length) | 0;
    const s = this.lookup(kv, length, h);
    if (s < 0) return s;
    this.probedKey = key;
    this.probedLength = length;
    this.probedHash = h;
    this.probedSlot = s;
    return s;
  }

  /**
   * The last probe that found its state absent (probe): its key array,
   * length, hash and slot, until the next add (fields, not a record: a
   * search probes a new state for each one it stores). Every add goes
   * through insertProbed, which clears the key, so a slot named here was
   * empty when it was found and is empty still.
   */
  private probedKey: Uint8Array | null = null;
  private probedLength = 0;
  private probedHash = 0;
  private probedSlot = 0;

  /**
   * Adds the state `key[0, length)` that the last probe found absent, at the
   * slot it found; returns its index. Throws when it is given another
   * array or length than that probe's, or when a state was added since (the
   * slot may be taken). It does not compare the bytes: the caller must not
   * have changed them since the probe (both searches reuse one key buffer,
   * so the array alone would not tell).
   */
  insertProbed(key: Uint8Array, length: number): number {
    if (this.probedKey !== key || this.probedLength !== length)
      throw new Error('visited: insertProbed of a state the last probe did not find absent');
    this.probedKey = null;
    const slots = this.slots;
    const mask = slots.length - 1;
    const index = this.append(key, this.keyViews.of(key), length);
    this.publish(slots, this.probedSlot, slotWord(index, this.probedHash, mask));
    // Linear probing stays short up to about 70% full; the index + 1 fits in the word's low bits below 100%.
    if (this.size * 10 > slots.length * 7) this.rehash();
    return index;
  }

  /**
   * What keeps a new state of `length` bytes out of the set, in words for a
   * report ("16 GiB of stored states"), or undefined when it fits.
   */
  full(length: number): string | undefined {
    if (this.size >= this.limits.states) return `${this.limits.states} states`;
    // The bytes, or no chunk left to begin (each chunk's unused tail counts against the chunks, not the bytes).
    if (
      this.usedBefore + this.used + length + 1 > this.limits.arenaBytes ||
      (this.beginsAChunk(length) && this.arenas.length >= MAX_CHUNKS)
    )
      return `${bytesInWords(this.limits.arenaBytes)} of stored states`;
    return undefined;
  }

  /** Whether a new state of `length` bytes (and its length byte) begins a new chunk: the last one has no room for it. */
  private beginsAChunk(length: number): boolean {
    return this.used + length + 1 > this.chunkBytes;
  }

  /**
   * What keeps the state `key[0, length)` out of the set (full()'s words),
   * or undefined when it fits or the set has it already: where a search
   * stops at a full set (search.ts BreadthFirst.take, explorer.ts).
   */
  refuses(key: Uint8Array, length: number): string | undefined {
    const full = this.full(length);
    return full !== undefined && !this.has(key, length) ? full : undefined;
  }

  /** Whether the state `key[0, length)` is in the set. */
  has(key: Uint8Array, length = key.length): boolean {
    const kv = this.keyViews.of(key);
    return this.lookup(kv, length, hashView(kv, 0, length) | 0) < 0;
  }

  /**
   * The table's linear probe for the state of `length` bytes whose view is `kv` and hash `h`: ~index
   * (negative) when the set has it, else the empty slot where the probe
   * ended. has() and probe() share it; only probe() remembers the slot.
   */
  private lookup(kv: DataView, length: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const word = slots[s]!;
      if (word === 0) return s;
      if (((word ^ h) & ~mask) === 0 && this.equals((word & mask) - 1, kv, length)) return ~((word & mask) - 1);
    }
  }

  /** State i's bytes (a view into the arena, valid until the next add). */
  get(i: number): Uint8Array {
    const a = this.chunkHolding(i);
    const o = this.offsets[i]!;
    return a.subarray(o + 1, o + 1 + a[o]!);
  }

  /** Bytes held: the arena's used part, the offsets and the table. */
  bytesUsed(): number {
    return this.arenaBytes() + this.size * 4 + this.slots.length * 4;
  }

  /** Bytes of the states themselves (arena), for bytes-per-state figures. */
  arenaBytes(): number {
    return this.usedBefore + this.used;
  }

  /** Every state end to end (length byte, bytes), in index order: a shard file's states (at most 4 GiB). */
  export(): Uint8Array {
    if (this.arenas.length === 1) return this.arena.slice(0, this.used);
    if (this.arenaBytes() > ARENA_MAX) throw new Error('visited: more than 4 GiB of states to export');
    const out = new Uint8Array(this.arenaBytes());
    let at = 0;
    this.arenas.forEach((a, c) => {
      const n = c < this.chunkUsed.length ? this.chunkUsed[c]! : this.used;
      out.set(a.subarray(0, n), at);
      at += n;
    });
    return out;
  }

  /** Adds every state of an export(); returns how many were new. */
  addAll(exported: Uint8Array): number {
    let added = 0;
    for (let o = 0; o < exported.length; o += exported[o]! + 1) {
      if (o + 1 + exported[o]! > exported.length) throw new Error('visited: a truncated state list');
      if (this.add(exported.subarray(o + 1, o + 1 + exported[o]!)).added) added++;
    }
    return added;
  }

  /** The chunk state i lies in: the one chunk, but for searches past 4 GiB of states. */
  private chunkHolding(i: number): Uint8Array {
    const n = this.arenas.length;
    return n === 1 ? this.arena : this.arenas[chunkOf(this.firsts, n, i)]!;
  }

  private equals(i: number, key: DataView, length: number): boolean {
    // chunkHolding's choice, of the views: the one chunk's read from a field, as every probe that finds a tag reads it
    // (through a chunk number and the array of views, upstream's spec-level search took 5% longer, 2026-12-07).
    const n = this.views.length;
    return equalAt(n === 1 ? this.arenaView : this.views[chunkOf(this.firsts, n, i)]!, this.offsets[i]!, key, length);
  }

  /** Appends the state `key[0, length)`, whose DataView (KeyViews) is `kv`. */
  private append(key: Uint8Array, kv: DataView, length: number): number {
    const full = this.full(length);
    if (full) throw new Error(`visited: more than ${full}`);
    if (this.beginsAChunk(length)) {
      // The last chunk is full: the next begins with this state. Its first state's number is written before the
      // state is published, so a reader that finds the state knows its chunk.
      this.chunkUsed.push(this.used);
      this.usedBefore += this.used;
      this.used = 0;
      this.arena = newChunk(Math.min(this.chunkBytes, 1 << 26), this.chunkBytes);
      Atomics.store(this.firsts, this.arenas.length, this.size);
      this.arenas.push(this.arena);
      this.views.push((this.arenaView = chunkView(this.arena)));
    }
    if (this.used + length + 1 > this.arena.length) {
      const n = Math.min(Math.max(this.arena.length * 2, this.used + length + 1), this.chunkBytes);
      (this.arena.buffer as SharedArrayBuffer).grow(n);
      this.arena = new Uint8Array(this.arena.buffer, 0, n);
      this.arenas[this.arenas.length - 1] = this.arena;
      this.views[this.views.length - 1] = this.arenaView = chunkView(this.arena);
    }
    const a = this.arena;
    const av = this.arenaView;
    const at = this.used + 1;
    a[at - 1] = length;
    let j = 0;
    for (; j + 4 <= length; j += 4) av.setUint32(at + j, kv.getUint32(j, true), true);
    for (; j < length; j++) a[at + j] = key[j]!;
    if (this.size === this.offsets.length) {
      (this.offsets.buffer as SharedArrayBuffer).grow(this.offsets.length * 8);
      this.offsets = new Uint32Array(this.offsets.buffer, 0, this.offsets.length * 2);
    }
    this.offsets[this.size] = this.used;
    this.used += length + 1;
    return this.size++;
  }

  /** Writes `word` (slotWord) into the empty slot s of `slots`. */
  private publish(slots: Int32Array, s: number, word: number): void {
    // Published after the state's bytes and offset: a reader that sees the slot sees the state whole.
    if (this.shared) Atomics.store(slots, s, word);
    else slots[s] = word;
  }

  /**
   * Doubles the table. The words keep only the high bits of each hash, so each
   * state is hashed again, in index order: the arena is read in order, and
   * every growth together hashes about twice the states the set ends with.
   * The new slots are written region by region (PendingSlots): a state's
   * slot is at random in the new table, and written in index order each
   * write missed the cache and the page tables, half of each growth's time
   * (upstream's spec-level search of patches=2,functions=2,states=1,tasks=2:
   * its growths took 1.23 s, and 0.64 s written by region; 2026-12-06). The
   * order the slots are written in does not matter: linear probing fills
   * the same slots in any order, and a lookup finds a state from its home
   * slot whatever was written before it.
   */
  private rehash(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(this.shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
    const mask = n - 1;
    const pending = new PendingSlots(mask, (h, index) => {
      let s = h & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      this.publish(slots, s, slotWord(index, h, mask));
    });
    let i = 0;
    // Each chunk's states one after another, as append wrote them: state i + 1 begins where state i ends.
    this.arenas.forEach((a, c) => {
      const used = c < this.chunkUsed.length ? this.chunkUsed[c]! : this.used;
      const v = this.views[c]!;
      for (let o = 0; o < used; o += a[o]! + 1, i++) pending.add(hashView(v, o + 1, o + 1 + a[o]!) | 0, i);
    });
    pending.flush();
    this.slots = slots;
  }
}

/**
 * States on their way into a new table (VisitedSet.rehash), held by the
 * region of the table their home slot lies in until REGION_PENDING of them
 * wait there, then placed together: the writes of one placing fall in one
 * region, or past its end into the next as linear probing goes on. A table
 * of up to 2^21 slots has regions of 512 slots (2 KiB); a larger one has
 * 4,096 regions, of 2^(k - 12) slots in a table of 2^k (256 KiB at 2^28),
 * and its buffers take 2 MiB.
 */
class PendingSlots {
  /** Each region's waiting states as [hash, index] pairs, REGION_PENDING pairs a region. */
  private readonly pairs: Int32Array;
  /** The states waiting in each region. */
  private readonly waiting: Int32Array;
  /** A home slot's region: the slot's number shifted right by this. */
  private readonly shift: number;

  constructor(
    /** The new table's slots less one (a power of 2, less one). */
    private readonly mask: number,
    /** Writes state `index`, of hash `h`, into the new table. */
    private readonly place: (h: number, index: number) => void,
  ) {
    const bits = 32 - Math.clz32(mask);
    const regionBits = Math.min(REGION_COUNT_BITS, Math.max(0, bits - REGION_MIN_BITS));
    this.shift = bits - regionBits;
    this.pairs = new Int32Array((2 * REGION_PENDING) << regionBits);
    this.waiting = new Int32Array(1 << regionBits);
  }

  /** Adds state `index` of hash `h`, placing its region's waiting states when it fills the region's buffer. */
  add(h: number, index: number): void {
    const r = (h & this.mask) >>> this.shift;
    const k = this.waiting[r]!;
    const at = 2 * (r * REGION_PENDING + k);
    this.pairs[at] = h;
    this.pairs[at + 1] = index;
    this.waiting[r] = k + 1;
    if (k + 1 === REGION_PENDING) this.placeRegion(r);
  }

  /** Places every state still waiting. */
  flush(): void {
    for (let r = 0; r < this.waiting.length; r++) this.placeRegion(r);
  }

  private placeRegion(r: number): void {
    const from = 2 * r * REGION_PENDING;
    const end = from + 2 * this.waiting[r]!;
    for (let at = from; at < end; at += 2) this.place(this.pairs[at]!, this.pairs[at + 1]!);
    this.waiting[r] = 0;
  }
}

/** A region of a new table holds at least 2^REGION_MIN_BITS slots, and a table has 2^REGION_COUNT_BITS regions at most (PendingSlots). */
const REGION_MIN_BITS = 9;
const REGION_COUNT_BITS = 12;
/** States a region's buffer holds before they are placed (PendingSlots). */
const REGION_PENDING = 64;

/**
 * The table word of state `index` of hash `h` in a table of mask + 1 slots
 * (a power of 2): the index + 1 in the low bits, which `mask` covers, and
 * the hash's other bits, its tag.
 */
function slotWord(index: number, h: number, mask: number): number {
  return (h & ~mask) | (index + 1);
}

/**
 * A shared VisitedSet as another thread sees it: it finds every state the
 * writer had published when it looked, and perhaps some published since; a
 * table the writer replaced after growing holds fewer, never a state that is
 * not in the set. So a state it finds is in the set; one it does not find
 * may be too, and the writer decides. A state in a chunk begun after its
 * handles were taken is one it does not find.
 */
export class VisitedReader {
  private readonly arenas: Uint8Array[] = [];
  /** Each chunk's DataView, made with its view (refresh). */
  private readonly views: DataView[] = [];
  private readonly keyViews = new KeyViews();
  private offsets!: Uint32Array;
  private readonly slots: Int32Array;
  private readonly firsts: Int32Array;

  constructor(private readonly h: VisitedHandles) {
    this.slots = new Int32Array(h.slots);
    this.firsts = new Int32Array(h.firsts);
    this.refresh();
  }

  /** Whether this reader was made from handles with as many chunks as `h` has (else make a new one). */
  sameChunks(h: VisitedHandles): boolean {
    return h.arenas.length === this.h.arenas.length;
  }

  /**
   * Views of the chunks and offsets as long as they are now: a published
   * state's bytes lie within them (the writer grows before it writes). Views
   * of a fixed length, because one that follows a growable buffer's length
   * was 20 times slower to read in Node 20's V8.
   */
  private refresh(): void {
    this.h.arenas.forEach((b, c) => {
      this.arenas[c] = new Uint8Array(b, 0, b.byteLength);
      this.views[c] = chunkView(this.arenas[c]);
    });
    this.offsets = new Uint32Array(this.h.offsets, 0, this.h.offsets.byteLength >>> 2);
  }

  /** Whether the state `key[0, length)` was in the set when looked for (see the class). */
  has(key: Uint8Array, length: number): boolean {
    const kv = this.keyViews.of(key);
    const h = hashView(kv, 0, length) | 0;
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const word = Atomics.load(this.slots, s);
      if (word === 0) return false;
      if (((word ^ h) & ~mask) !== 0) continue;
      const id = word & mask;
      const known = this.arenas.length;
      // A state of a chunk begun after this reader's handles: not found here, and the writer decides.
      if (known < MAX_CHUNKS && Atomics.load(this.firsts, known) <= id - 1) return false;
      const c = chunkOf(this.firsts, known, id - 1);
      this.reach(c, id - 1);
      if (equalAt(this.views[c]!, this.offsets[id - 1]!, kv, length)) return true;
    }
  }

  /** State i's bytes, i one the writer had published before these handles were taken (a view into the shared arena). */
  get(i: number): Uint8Array {
    const c = chunkOf(this.firsts, this.arenas.length, i);
    this.reach(c, i);
    const a = this.arenas[c]!;
    const o = this.offsets[i]!;
    return a.subarray(o + 1, o + 1 + a[o]!);
  }

  /** Makes the views again (refresh) if state i, in chunk c, lies past what they hold. */
  private reach(c: number, i: number): void {
    if (i >= this.offsets.length) this.refresh();
    const o = this.offsets[i]!;
    const a = this.arenas[c]!;
    // Its length byte, then the bytes it counts.
    if (o >= a.length || o + 1 + a[o]! > a.length) this.refresh();
  }
}

/** A DataView of all of a chunk's view (the set keeps each chunk's). */
function chunkView(chunk: Uint8Array): DataView {
  return new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** A chunk of the arena: a growable SharedArrayBuffer of `length` bytes, growing to at most `max`. */
function newChunk(length: number, max: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length, { maxByteLength: max }), 0, length);
}

/**
 * The chunk state i lies in: the last of the first `count` chunks whose first
 * state is at most i (firsts ascend; NO_CHUNK past the last begun). One
 * comparison while the arena is one chunk, as it is but for huge searches.
 */
function chunkOf(firsts: Int32Array, count: number, i: number): number {
  let c = count - 1;
  while (c > 0 && Atomics.load(firsts, c) > i) c--;
  return c;
}

/** Whether the state at offset `o` of `arena` (a length byte, then its bytes) is `key[0, length)`, 4 bytes at a time. */
function equalAt(arena: DataView, o: number, key: DataView, length: number): boolean {
  if (arena.getUint8(o) !== length) return false;
  const at = o + 1;
  let j = 0;
  for (; j + 4 <= length; j += 4) if (arena.getUint32(at + j, true) !== key.getUint32(j, true)) return false;
  for (; j < length; j++) if (arena.getUint8(at + j) !== key.getUint8(j)) return false;
  return true;
}
