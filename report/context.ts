/**
 * What a renderer knows beyond the counterexample record: the invariant's
 * title and meaning (properties/catalog.ts) and the semantics (registry),
 * looked up once here so that renderers stay pure functions of (record,
 * context). A record from a newer klpcheck may name an invariant or a
 * semantics this one does not know; the renderers then fall back to the id.
 */
import type { Counterexample } from '../harness/counterexample.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';
import { CONFORMANCE, invariantById } from '../properties/catalog.ts';
import { PROTOCOL_PROPERTIES } from '../harness/protocols/cycle.ts';

export interface InvariantInfo {
  readonly id: string;
  readonly title: string;
  readonly meaning: string;
  readonly source?: string;
  /** The invariant reads the patches' owners and releases (properties/invariant.ts Invariant.readsOwners): renderings show them. */
  readonly readsOwners?: true;
}

export interface RenderContext {
  readonly invariant: InvariantInfo;
  /** Absent when this klpcheck does not know the record's semantics. */
  readonly semantics?: Semantics;
  /**
   * Set when today's replay does not give the record (cli/commands/render.ts):
   * how it differs, as "no longer reproduces (...) under S". Each rendering
   * says so at its top, so that a reply never quotes a stale trace as a live
   * one (hostile-user finding, stop 36: the note went to stderr alone).
   */
  readonly stale?: string;
}

/** The caution a rendering of a stale record opens with (RenderContext.stale). */
export const staleCaution = (stale: string): string => `this record ${stale}; it is shown as saved, not as klpcheck runs it today`;

// Conformance is a property of the harness, not an entry of the catalog.
const CONFORMANCE_INFO: InvariantInfo = {
  id: CONFORMANCE,
  title: 'conformance',
  meaning: 'The reference implementation agrees with the spec model after every step: the same result and the same abstract state.',
  source: 'DESIGN.md (spec model against reference implementation)',
};

/**
 * What follows an invariant's id in a rendering's header: `join` + its title
 * + `close`, or nothing where the title says no more than the id
 * (conformance's header read "conformance: conformance": hostile-user
 * finding, stop 44).
 */
export function titleAfterId(info: InvariantInfo, join = ': ', close = ''): string {
  return info.title === info.id ? '' : `${join}${info.title}${close}`;
}

export function invariantInfo(id: string): InvariantInfo {
  if (id === CONFORMANCE) return CONFORMANCE_INFO;
  const inv = invariantById(id) ?? PROTOCOL_PROPERTIES.find((p) => p.id === id);
  if (!inv) return { id, title: id, meaning: `(${id} is not in this klpcheck's invariant catalog)` };
  const owners = 'readsOwners' in inv && inv.readsOwners ? { readsOwners: true as const } : {};
  return { id: inv.id, title: inv.title, meaning: inv.meaning, source: inv.source, ...owners };
}

export function contextFor(c: Counterexample): RenderContext {
  const semantics = semanticsByName(c.semantics);
  return semantics ? { invariant: invariantInfo(c.invariant), semantics } : { invariant: invariantInfo(c.invariant) };
}
