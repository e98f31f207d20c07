/**
 * Where a semantics decides, answered for the packed models from the
 * semantics' own functions (model/semantics/: its SpecRule, its ReplaceHooks,
 * its slotOf), so that the packed engine states no proposal's rule a second
 * time. Each answer depends only on the patches it is asked about (which
 * definitions, under which names, in which order on klp_patches, with which
 * writable attribute values), never on the rest of a state, so it is worked
 * out once with the semantics' code over PatchDefs and KPatches built for the
 * question, and remembered: a search asks the same few questions millions of
 * times.
 *
 * A set of patches is a bit mask, bit k - 1 for patch pk. A list (klp_patches
 * or a part of it) is read from a state's bytes: `n` patch numbers from
 * s[at]. The kernel's hooks get what the object kernel gives them
 * (model/kernel/enable.ts, transition.ts, sysfs.ts): klp_patches for
 * isCompatible, nopSources and disableRefusal, the patches before the
 * transition patch for replaced, the others for forcedByForce.
 *
 * A patch's writable attributes (hybrid mode's replaceable, facts F.1) are
 * bits of `attrBits`, 4 bits a patch: bit i of patch pk's at 4 * (k - 1) + i
 * for the semantics' writableAttrs[i]. The spec model's rule sees them in the
 * definition's attrs (model/spec/spec-model.ts writeAttr), the kernel's hooks
 * in KPatch.writable (model/kernel/sysfs.ts writeAttr).
 */
import { ERRNO } from '../../../model/kernel/errno.ts';
import type { PatchAttrs, PatchDef } from '../../../model/kernel/definitions.ts';
import { buildPatch } from '../../../model/kernel/enable.ts';
import type { KPatch } from '../../../model/kernel/runtime.ts';
import type { Semantics } from '../../../model/semantics/semantics.ts';
import { patchName } from '../candidates.ts';
import { VisitedSet } from '../visited.ts';
import type { DefinitionNode, DefinitionTree } from './definition-tree.ts';

/** The spec model's load verdict when it refuses (else a mask of the patches the load replaces). */
export const REFUSED = -1;

/**
 * What is asked: the first number of every remembered question. The spec
 * model and the kernel ask about the same patches on the same step (an insmod:
 * the rule's load verdict, then klp_is_patch_compatible and klp_add_nops; a
 * disable: the rule's refusal, then __klp_disable_patch's), so each such pair or
 * triple is one question whose answer holds every part (Insmod, Disable): the
 * second and third asks are the last question again (PackedReplaceRules.answer),
 * never a probe of the remembered ones. At patches=3,functions=3,states=2,tasks=2,
 * depth 4, 16.4 of the 38.3 million asks were such second and third asks.
 */
const Ask = {
  Insmod: 0,
  Disable: 1,
  Replaced: 2,
  ForcedByForce: 3,
  Authorizes: 4,
  AdminAsked: 5,
} as const;

/**
 * An Insmod question's answer, packed: SpecRule.load's verdict + 1 (0 for
 * REFUSED, else 1 + the mask of the patches it replaces, 5 bits) in bits 0-5,
 * klp_is_patch_compatible in bit 6, klp_add_nops' sources (a mask) from bit 7.
 */
const INSMOD_COMPATIBLE = 1 << 6;
const INSMOD_NOPS_SHIFT = 7;
/** A Disable question's answer, packed: SpecRule.disable's errno in bits 0-7, the kernel's disableRefusal errno above. */
const DISABLE_KERNEL_SHIFT = 8;

/**
 * Writes the non-negative integer `x` into `out` at `at` as unsigned LEB128
 * (7 bits a byte, low first, the top bit set on every byte but the last);
 * returns where the next one goes. A question's numbers written one after
 * another this way read back one way only, so two questions have the same
 * bytes only when they are the same.
 */
export function writeLeb128(out: Uint8Array, at: number, x: number): number {
  for (; x >= 0x80; x = Math.floor(x / 0x80)) out[at++] = (x & 0x7f) | 0x80;
  out[at++] = x;
  return at;
}

/** A question's entry (PackedReplaceRules.entry) read back: its writable attribute bits, patch number and row. */
const entryBits = (entry: number): number => entry & 15;
const entryPatch = (entry: number): number => (entry >>> 4) & 7;
const entryRow = (entry: number): number => Math.floor(entry / 128);

/** The mask bit of the patch a question's entry names (bit k - 1 for pk). */
const patchBit = (entry: number): number => 1 << (entryPatch(entry) - 1);

export class PackedReplaceRules {
  /**
   * The questions asked so far, each as its numbers' bytes (writeLeb128),
   * numbered in the order first asked, and each one's answer by that number.
   * Until 2026-12-05 a trie of Maps, a level per number: at
   * patches=3,functions=3,states=2, depth 3, a search asks 1.36 million
   * different questions, and the trie's Maps were garbage collection's work.
   */
  private readonly questions = new VisitedSet();
  private readonly answers: number[] = [];
  /** Each entry's definition and KPatch (def, kpatch). */
  private readonly defs = new Map<number, PatchDef>();
  private readonly kpatches = new Map<number, KPatch>();
  /**
   * The question being asked: its first `asked` numbers (reused: emptying an
   * array by its length was 2.4% of a search's time), and as bytes.
   */
  private readonly question: number[] = [];
  private asked = 0;
  private readonly questionBytes = new Uint8Array(255);
  /** The last question answered, its first lastAsked numbers (0: none), and its answer: the step's next ask (Ask). */
  private readonly lastQuestion: number[] = [];
  private lastAsked = 0;
  private lastAnswer = 0;
  private readonly writable: readonly string[];
  private readonly semantics: Semantics;
  /** Each (patch, row) pair's slot, interned: slotIds[k][row]. */
  private readonly slotIds: Map<number, number>[] = [];
  private readonly slotNames = new Map<string, number>();

  constructor(private readonly tree: DefinitionTree) {
    this.semantics = tree.semantics;
    this.writable = this.semantics.spec.writableAttrs ?? [];
    if (this.writable.length > 4) throw new Error('packed: more than 4 writable attributes');
  }

  /**
   * `attrBits` with patch pk's writable attributes as its definition builds
   * them: a patch being loaded has no bits of its own in the state yet, and
   * the rule and the hooks see it as built (enable.ts buildPatch).
   */
  asLoading(attrBits: number, node: DefinitionNode, k: number): number {
    const shift = 4 * (k - 1);
    return (attrBits & ~(15 << shift)) | (this.tree.writableBits[node.rows[k]!]! << shift);
  }

  /** Patch pk's writable attribute bits in `attrBits`. */
  private bitsOf(attrBits: number, k: number): number {
    return (attrBits >>> (4 * (k - 1))) & 15;
  }

  /** One patch of a question: its number, its definition's row, its writable attribute values. */
  private entry(node: DefinitionNode, k: number, attrBits: number): number {
    return (node.rows[k]! * 8 + k) * 16 + this.bitsOf(attrBits, k);
  }

  /** Starts a question: what is asked, of which patch. */
  private ask(what: number, node: DefinitionNode, k: number, attrBits: number): void {
    this.question[0] = what;
    this.question[1] = this.entry(node, k, attrBits);
    this.asked = 2;
  }

  /** Adds patch pk to the question. */
  private add(node: DefinitionNode, k: number, attrBits: number): void {
    this.question[this.asked++] = this.entry(node, k, attrBits);
  }

  /** Adds the list of `n` patches at s[at] to the question, leaving out `skip` (0 for none). */
  private list(node: DefinitionNode, s: Uint8Array, at: number, n: number, attrBits: number, skip = 0): void {
    for (let j = 0; j < n; j++) if (s[at + j] !== skip) this.add(node, s[at + j]!, attrBits);
  }

  /**
   * The remembered answer to the question, or `work`'s, remembered. The last
   * question answered is compared first, number by number: its answer is this
   * one's, without writing the bytes or probing the remembered ones (Ask: the
   * kernel asks on a step what the spec model did).
   */
  private answer(work: (patches: readonly number[]) => number): number {
    const q = this.question;
    const last = this.lastQuestion;
    if (this.asked === this.lastAsked) {
      let j = 0;
      while (j < this.asked && q[j] === last[j]) j++;
      if (j === this.asked) return this.lastAnswer;
    }
    const bytes = this.questionBytes;
    let length = 0;
    for (let j = 0; j < this.asked; j++) length = writeLeb128(bytes, length, q[j]!);
    const i = this.questions.insert(bytes, length);
    // The question's patches after what is asked, the asked-about patch first, as patch numbers with the entry's bits.
    // A question whose work threw (a semantics' error, which ends the search) has no answer, and is worked out again.
    const at = i < 0 ? ~i : i;
    const a = (this.answers[at] ??= work(q.slice(1, this.asked)));
    for (let j = 0; j < this.asked; j++) last[j] = q[j]!;
    this.lastAsked = this.asked;
    this.lastAnswer = a;
    return a;
  }

  /**
   * The definition as loaded and as the rule sees it now: its row's facts,
   * its name, its writable attributes' values. Made once per entry, as is
   * its KPatch: the rules and hooks only read them (SpecRule, ReplaceHooks:
   * filters and verdicts), and a hook that answers with the asked-about
   * patch finds it in the list by identity (stacking's disableRefusal).
   */
  def(entry: number): PatchDef {
    let d = this.defs.get(entry);
    if (!d) this.defs.set(entry, (d = this.makeDef(entry)));
    return d;
  }

  private makeDef(entry: number): PatchDef {
    const bits = entryBits(entry);
    const k = entryPatch(entry);
    const base = this.tree.defOfRow(entryRow(entry));
    if (!this.writable.length) return { ...base, name: patchName(k) };
    const attrs: Record<string, unknown> = { ...(base.attrs ?? {}) };
    this.writable.forEach((a, i) => (attrs[a] = ((bits >>> i) & 1) === 1));
    return { ...base, name: patchName(k), attrs: attrs as PatchAttrs };
  }

  /** A KPatch for the kernel's hooks: the definition's objects and states, and its writable attributes' values (made once per entry: def). */
  private kpatch(entry: number): KPatch {
    let p = this.kpatches.get(entry);
    if (!p) this.kpatches.set(entry, (p = this.makeKpatch(entry)));
    return p;
  }

  private makeKpatch(entry: number): KPatch {
    const bits = entryBits(entry);
    const d = this.def(entry);
    const built = this.tree.defOfRow(entryRow(entry));
    const p = buildPatch(d, built.attrs ?? {}, this.writable);
    this.writable.forEach((a, i) => p.writable.set(a, ((bits >>> i) & 1) === 1));
    return p;
  }

  /** A mask of the patches in `chosen`, found among `all` (the question's patches, in order) by identity. */
  private static mask<T>(all: readonly T[], chosen: readonly T[], entries: readonly number[]): number {
    let m = 0;
    for (const c of chosen) {
      const i = all.indexOf(c);
      if (i < 0) throw new Error('packed: a hook answered with a patch it was not given');
      m |= patchBit(entries[i]!);
    }
    return m;
  }

  // ---- the spec model (model/spec/spec-model.ts) ----

  /**
   * The Insmod question of patch pk against klp_patches (n patches at s[at]):
   * the spec model's load verdict, klp_is_patch_compatible and klp_add_nops'
   * sources, packed (INSMOD_COMPATIBLE). The nops' sources are worked out only
   * for a compatible patch, as the kernel asks only then.
   */
  private insmodAnswer(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    this.ask(Ask.Insmod, node, k, attrBits);
    this.list(node, s, at, n, attrBits);
    const hooks = this.semantics.hooks;
    return this.answer(([incoming, ...active]) => {
      const list = active.map((e) => this.kpatch(e));
      const patch = this.kpatch(incoming!);
      const compatible = hooks.isCompatible(list, patch);
      const nops = compatible ? PackedReplaceRules.mask(list, hooks.nopSources(list, patch), active) : 0;
      return (this.loadVerdict(incoming!, active) + 1) | (compatible ? INSMOD_COMPATIBLE : 0) | (nops << INSMOD_NOPS_SHIFT);
    });
  }

  /** SpecRule.load of `incoming` against `active` (question entries): REFUSED, or a mask of the patches it replaces. */
  private loadVerdict(incoming: number, active: readonly number[]): number {
    const defs = active.map((e) => this.def(e));
    const v = this.semantics.spec.load(defs, this.def(incoming));
    if ('refuse' in v) return REFUSED;
    let m = 0;
    for (const name of v.replaces) {
      const i = defs.findIndex((d) => d.name === name);
      if (i < 0) throw new Error(`packed: ${this.semantics.name} replaces ${name}, which is not active`);
      m |= patchBit(active[i]!);
    }
    return m;
  }

  /** SpecRule.load of patch pk against klp_patches (n patches at s[at]): REFUSED, or a mask of the patches it replaces. */
  specLoad(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    return (this.insmodAnswer(node, k, s, at, n, attrBits) & (INSMOD_COMPATIBLE - 1)) - 1;
  }

  /**
   * The Disable question of patch pk on klp_patches (n patches at s[at]): the
   * spec model's refusal and __klp_disable_patch's extra one, each an errno
   * (a number) or 0, packed (DISABLE_KERNEL_SHIFT).
   */
  private disableAnswer(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    this.ask(Ask.Disable, node, k, attrBits);
    this.list(node, s, at, n, attrBits);
    const hooks = this.semantics.hooks;
    return this.answer(([patch, ...active]) => {
      const r = this.semantics.spec.disable(
        active.map((e) => this.def(e)),
        this.def(patch!),
      );
      const list = active.map((e) => this.kpatch(e));
      // The hook finds the patch on the list by identity, as the kernel's klp_patches holds it.
      const i = active.indexOf(patch!);
      const errno = hooks.disableRefusal(list, i < 0 ? this.kpatch(patch!) : list[i]!);
      return (r ? ERRNO[r.errno] : 0) | ((errno ? ERRNO[errno] : 0) << DISABLE_KERNEL_SHIFT);
    });
  }

  /** SpecRule.disable of patch pk on klp_patches: the errno (a number) it refuses with, or 0. */
  specDisable(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    return this.disableAnswer(node, k, s, at, n, attrBits) & ((1 << DISABLE_KERNEL_SHIFT) - 1);
  }

  /** SpecRule.authorizes: whether patch r declares that it takes over patch `old`'s fixes. */
  authorizes(node: DefinitionNode, r: number, old: number, attrBits: number): boolean {
    this.ask(Ask.Authorizes, node, r, attrBits);
    this.add(node, old, attrBits);
    return this.answer(([a, b]) => (this.semantics.spec.authorizes(this.def(a!), this.def(b!)) ? 1 : 0)) === 1;
  }

  /**
   * owners.ts adminAsked: whether the admin asked for patch `by` to take
   * patch `old` away, the two as they are now (attrBits) against the two as
   * built: the rule lets them and would not let them as built, or `old`'s
   * replace attributes (Semantics.attrs) are not what they were built with
   * (a sysfs write such as hybrid mode's replaceable=1).
   */
  adminAsked(node: DefinitionNode, by: number, old: number, attrBits: number): boolean {
    this.ask(Ask.AdminAsked, node, by, attrBits);
    this.add(node, old, attrBits);
    return (
      this.answer(([a, b]) => {
        const built = (e: number) => this.def(e - entryBits(e) + this.tree.writableBits[entryRow(e)]!);
        const authorizes = this.semantics.spec.authorizes;
        const [nowBy, nowOld, wasBy, wasOld] = [this.def(a!), this.def(b!), built(a!), built(b!)];
        if (authorizes(nowBy, nowOld) && !authorizes(wasBy, wasOld)) return 1;
        const [was, now] = [(wasOld.attrs ?? {}) as Record<string, unknown>, (nowOld.attrs ?? {}) as Record<string, unknown>];
        return this.semantics.attrs.some((x) => JSON.stringify(was[x]) !== JSON.stringify(now[x])) ? 1 : 0;
      }) === 1
    );
  }

  // ---- the kernel's hooks (model/kernel/hooks.ts) ----

  /** A kernel hook over the question's list with the asked-about patch: a mask of the patches it answers with. */
  private hookMask(hook: (list: readonly KPatch[], patch: KPatch) => readonly KPatch[]): number {
    return this.answer(([patch, ...rest]) => {
      const list = rest.map((e) => this.kpatch(e));
      return PackedReplaceRules.mask(list, hook(list, this.kpatch(patch!)), rest);
    });
  }

  /** klp_is_patch_compatible of patch pk with klp_patches (n patches at s[at]). */
  compatible(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): boolean {
    return (this.insmodAnswer(node, k, s, at, n, attrBits) & INSMOD_COMPATIBLE) !== 0;
  }

  /** klp_add_nops: the patches on klp_patches (n at s[at]) whose funcs patch pk gets nops for, as a mask (asked of a compatible patch). */
  nopSources(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    return this.insmodAnswer(node, k, s, at, n, attrBits) >>> INSMOD_NOPS_SHIFT;
  }

  /** The patches patch pk's completed transition replaces, among the n before it on klp_patches at s[at], as a mask. */
  replaced(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    this.ask(Ask.Replaced, node, k, attrBits);
    this.list(node, s, at, n, attrBits);
    return this.hookMask((list, p) => this.semantics.hooks.replaced(list, p));
  }

  /** The patches klp_force_transition marks forced, among klp_patches (n at s[at]) but pk, as a mask. */
  forcedByForce(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    this.ask(Ask.ForcedByForce, node, k, attrBits);
    this.list(node, s, at, n, attrBits, k);
    return this.hookMask((list, p) => this.semantics.hooks.forcedByForce(list, p));
  }

  /** __klp_disable_patch's extra refusal of patch pk on klp_patches: the errno (a number), or 0. */
  disableRefusal(node: DefinitionNode, k: number, s: Uint8Array, at: number, n: number, attrBits: number): number {
    return this.disableAnswer(node, k, s, at, n, attrBits) >>> DISABLE_KERNEL_SHIFT;
  }

  // ---- slots (Semantics.slotOf) ----

  /** Patch pk's slot, as a number: two patches are in one slot when their numbers are equal. */
  slot(node: DefinitionNode, k: number): number {
    const row = node.rows[k]!;
    const byRow = (this.slotIds[k] ??= new Map());
    let id = byRow.get(row);
    if (id === undefined) {
      const name = this.semantics.slotOf(patchName(k), this.tree.defOfRow(row).attrs ?? {});
      id = this.slotNames.get(name);
      if (id === undefined) this.slotNames.set(name, (id = this.slotNames.size));
      byRow.set(row, id);
    }
    return id;
  }
}
