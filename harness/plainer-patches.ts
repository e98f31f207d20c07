/**
 * Plainer variants of a universe's patches, for the last shrinking pass
 * (minimize.ts): a patch's one empty module object in vmlinux, an attribute
 * back to its default, a list attribute one element shorter, a patch without
 * its owners or its release, a universe without forbid_downgrade.
 * fast-check shrinks none of these, so a
 * counterexample kept the ones its generator drew: each of the corpus's 104
 * files had an attribute, an owner or a release that played no part (stop
 * 47), among them 8 patches with `replace=true` and 5 with a replace tag
 * whose finding did not need them. "Does this need replace?" is what a
 * maintainer asks first, and a file that keeps the attribute answers wrongly.
 *
 * Each variant is only a candidate: minimize keeps it when the property
 * still fails for the same reason (minimize.ts smallerCases), so an
 * attribute the finding needs stays.
 */
import { VMLINUX, type PatchAttrs, type PatchDef, type Universe } from '../model/kernel/definitions.ts';

type Attr = keyof PatchAttrs;

/** `u` with patch `i` replaced by `p` (minimize.ts offers its smaller patches so too). */
export function withPatch(u: Universe, i: number, p: PatchDef): Universe {
  return { ...u, patches: u.patches.map((x, j) => (j === i ? p : x)) };
}

/** `attrs` without `key`; with no attribute left, the patch has no `attrs` (schema/universe.schema.json: absent is none set). */
function withoutAttr(p: PatchDef, key: Attr): PatchDef {
  const { [key]: _dropped, ...attrs } = p.attrs ?? {};
  const { attrs: _all, ...rest } = p;
  return Object.keys(attrs).length ? { ...rest, attrs } : rest;
}

/**
 * Every universe one patch decoration plainer than `u`, patch by patch in
 * `u`'s order: its one object, when that is a module's without functions, in
 * vmlinux instead; each attribute dropped (its default: `replace` false or tag
 * 0, no set, no slot, no list), in the order the patch lists them; then
 * each element of a list attribute of two or more dropped, keeping the
 * others in order; then one owner of several dropped, the owners dropped
 * (absent: the vendor, schema/universe.schema.json), and the release
 * dropped. Last, the universe without forbid_downgrade. A patch's module
 * parameters (`params`, `attr_params`) stay: an op's insmod may name one,
 * and a module without it refuses the load, which is another finding.
 */
export function* plainerPatches(u: Universe): Generator<Universe> {
  for (const [i, p] of u.patches.entries()) {
    // A patch's one object, in a module, without functions: the same patch in vmlinux needs no target module, which
    // the next round then takes out when no step loads it. 28 corpus files kept a module `mod` for such an object
    // alone, and a selftest draft asked for a module object to be written (helper-77, stop 47).
    const [only] = p.objects ?? [];
    if (p.objects?.length === 1 && only!.name !== VMLINUX && !only!.funcs?.length)
      yield withPatch(u, i, { ...p, objects: [{ ...only!, name: VMLINUX }] });
    const attrs = p.attrs ?? {};
    for (const key of Object.keys(attrs) as Attr[]) yield withPatch(u, i, withoutAttr(p, key));
    for (const key of Object.keys(attrs) as Attr[]) {
      const list = attrs[key];
      if (!Array.isArray(list) || list.length < 2) continue;
      for (let k = 0; k < list.length; k++)
        yield withPatch(u, i, { ...p, attrs: { ...attrs, [key]: list.filter((_: unknown, j: number) => j !== k) } });
    }
    if (p.owners && p.owners.length > 1)
      for (let k = 0; k < p.owners.length; k++) {
        const owners = p.owners.filter((_, j) => j !== k) as unknown as PatchDef['owners'];
        yield withPatch(u, i, { ...p, owners });
      }
    if (p.owners) {
      const { owners: _dropped, ...rest } = p;
      yield withPatch(u, i, rest);
    }
    if (p.release !== undefined) {
      const { release: _dropped, ...rest } = p;
      yield withPatch(u, i, rest);
    }
  }
  if (u.forbid_downgrade !== undefined) {
    const { forbid_downgrade: _dropped, ...rest } = u;
    yield rest;
  }
}
