/**
 * States past a conformance break that the search need not store, because a
 * state it has stored covers them: the packed search's one reduction
 * (issue 11: "whole state spaces"). It is exact; nothing is fingerprinted.
 *
 * Past a conformance break the lockstep follows the kernel alone
 * (lockstep.ts), as the explorer does (run-sequence.ts
 * specUntilDivergence), so that the invariants are still checked. Such a
 * state's future, as far as any property can see, is its kernel part
 * (PackedLockstep.kernelPart): the definitions, the kernel and the
 * checkers' memory. The ops tried are the kernel's answer, every
 * invariant reads the kernel's side, and conformance is not checked any
 * more. A stored state with the same kernel part, whether it conforms or is
 * past a break, steps alike on the kernel's side: each step it takes leads
 * to the same kernel part, conforming or past a break, with the same
 * invariants checked. A step that is quiet past a break, with the kernel
 * unchanged, is checked from the conforming state as soon as the spec
 * model moves, which only adds checks. By induction, every violation
 * within n steps of the uncovered state lies within n steps of the stored
 * one. The stored one was stored first, so it is no deeper. So the search
 * finds each property's first violation at the same depth as a search that
 * stores every state. Its path is one of the shortest, and not proved to be
 * the same one: a state's place in its level follows from its first parent.
 * test/covered-past-break.test.ts finds the same paths on every semantics
 * at its scopes, where few first violations lie past a break (hostile
 * review, helper-78). Under a state budget the search stores fewer states, so
 * it may get further than the object engine before the budget runs out, and
 * find more: each verdict is true of what it claims.
 *
 * Measured at patches=2,functions=2,states=1,tasks=1: upstream's search
 * stores 470,450 states past a break among 1,527,811. A conforming state
 * with the same kernel part covers every one of them. Their expansions were
 * 27% of its time.
 *
 * The index maps a kernel part's hash to one stored state that has it.
 * A collision of hashes only keeps a state from being covered, never covers
 * it wrongly: a state is covered only after its part is compared with the
 * stored state's, byte for byte. Stored states are indexed in their order,
 * up to the last stored, before each question, so the index holds every
 * stored state that does not lie past a break. States past a break are left
 * out of the index: one with the same kernel part has the same key, and the
 * visited set answers for it.
 */
import { hashBytes, type VisitedSet } from '../visited.ts';
import type { PackedLockstep } from './lockstep.ts';
import { sameBytes } from './spec.ts';

/** The longest key the visited set stores (visited.ts), so the longest kernel part. */
const MAX_KEY = 255;

/**
 * The index begins once the new successors past a break asked about reach
 * 1/PAYS_FROM of the stored states. Below that it cost more than it saved:
 * slots, whose states past a break are 2% of its states at
 * patches=2,functions=2,states=1,tasks=1, searched 7% slower with it
 * (12.62 against 13.54 cpu-s), and upstream, 31%, 23% faster.
 */
const PAYS_FROM = 16;

/** The covering a lockstep search asks before it stores a new successor (PackedSpace.covering; the file's comment). */
export class CoveredPastBreak {
  /**
   * Slot s is slots[2s] and slots[2s + 1]: a stored state's number + 1 (0
   * empty), and its kernel part's hash (the slot comes from its low bits).
   * Side by side, a probe reads one place of memory, not two. Two arrays
   * until 2026-12-07, when a profile gave catchUp's probe 2.1% of upstream's
   * default search; side by side, that search took 62.5 and 60.1 cpu-s
   * against 60.7 and 60.3 before, no change this machine can tell.
   */
  private slots = new Int32Array(2 * 1024);
  private used = 0;
  /** The stored states indexed so far: numbers 0 to indexed - 1. */
  private indexed = 0;
  private readonly part = new Uint8Array(MAX_KEY);
  private readonly other = new Uint8Array(MAX_KEY);
  /** Successors taken that this covered (each time one was reached), for the report. */
  covered = 0;
  /** New successors past a break asked about before the index began. */
  private pastBreakSeen = 0;

  /**
   * `reader`: a lockstep model of the search's scope, semantics and
   * properties, used only here (kernelPart reads a key into its working
   * state, which must not be the searching model's during an expansion).
   */
  constructor(
    private readonly reader: PackedLockstep,
    private readonly visited: VisitedSet,
  ) {}

  /**
   * Whether the successor `key[0, length)`, which the search has not
   * stored (search.ts BreadthFirst.take looks it up first), lies past a
   * conformance break, and a stored state has its kernel part: then the
   * search does not store it (see the file's comment).
   */
  covers(key: Uint8Array, length: number): boolean {
    if (!this.reader.pastBreak(key)) return false;
    // The index begins only once states past a break are common enough to pay for it (PAYS_FROM).
    if (this.indexed === 0 && ++this.pastBreakSeen * PAYS_FROM < this.visited.size) return false;
    this.catchUp();
    const n = this.reader.kernelPart(key, this.part, length);
    const h = hashBytes(this.part, 0, n) | 0;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let s = h & mask; slots[2 * s] !== 0; s = (s + 1) & mask) {
      if (slots[2 * s + 1] !== h) continue;
      const m = this.reader.kernelPart(this.visited.get(slots[2 * s]! - 1), this.other);
      if (m === n && sameBytes(this.part, this.other, n)) {
        this.covered++;
        return true;
      }
    }
    return false;
  }

  /**
   * Indexes the stored states not yet indexed: each conforming one under its
   * kernel part's hash, unless a state is there under the same hash already
   * (most likely one with the same part; at worst, states with the other part
   * are not covered, and are stored).
   */
  private catchUp(): void {
    for (; this.indexed < this.visited.size; this.indexed++) {
      const key = this.visited.get(this.indexed);
      if (this.reader.pastBreak(key)) continue;
      const h = hashBytes(this.part, 0, this.reader.kernelPart(key, this.part)) | 0;
      const slots = this.slots;
      const mask = (slots.length >>> 1) - 1;
      let s = h & mask;
      for (; slots[2 * s] !== 0 && slots[2 * s + 1] !== h; s = (s + 1) & mask);
      if (slots[2 * s] !== 0) continue;
      slots[2 * s] = this.indexed + 1;
      slots[2 * s + 1] = h;
      if (++this.used * 4 > (slots.length >>> 1) * 3) this.grow();
    }
  }

  /** Past three quarters full: twice the slots, each state placed again by its kept hash. */
  private grow(): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(2 * old.length));
    const mask = (slots.length >>> 1) - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o] === 0) continue;
      let s = old[o + 1]! & mask;
      while (slots[2 * s] !== 0) s = (s + 1) & mask;
      slots[2 * s] = old[o]!;
      slots[2 * s + 1] = old[o + 1]!;
    }
  }

  /** Bytes the index holds (its table), for bytes-per-state figures. */
  bytes(): number {
    return this.slots.byteLength;
  }
}
