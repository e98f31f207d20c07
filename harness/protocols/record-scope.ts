/**
 * The scope a release cycle's record names (provenance.scope), as
 * `klpcheck protocols --out` writes it: `protocol=NAME,releases<=N`, NAME a
 * protocol of the catalog and N a cycle length `protocols --releases`
 * takes. Only `protocols` finds a release cycle's property (loads, fixes,
 * knowledge), and replay cannot check one, so a record of one must say
 * where it came from: an invariant's record relabelled `fixes` was rendered
 * as that finding with no caution, and then one given a made-up protocol
 * (helper-131, helper-132, stop 72).
 */
import { PROTOCOLS } from './catalog.ts';
import type { Protocol } from './protocol.ts';

/** The longest cycle `protocols --releases` takes. */
export const MAX_RELEASES = 8;

/** The scope of the records of `protocol`'s cycles of up to `maxReleases` releases. */
export function protocolScope(protocol: Protocol, maxReleases: number): string {
  return `protocol=${protocol.name},releases<=${maxReleases}`;
}

/**
 * Why provenance `p` is not one `protocols --out` writes (its source,
 * `exhaustive`, and a scope protocolScope gives): the field that says so and
 * words for an E_SCHEMA line; undefined when it is one.
 */
export function notAProtocolRecord(p: {
  readonly source: string;
  readonly scope?: string;
}): { readonly at: 'scope' | 'source'; readonly why: string } | undefined {
  const m = /^protocol=([^,]*),releases<=([1-9][0-9]*)$/.exec(p.scope ?? '');
  const names = PROTOCOLS.map((x) => x.name);
  const scope = (why: string) => ({ at: 'scope' as const, why });
  if (!m) return scope('its provenance names no protocol (scope protocol=NAME,releases<=N, as klpcheck protocols --out writes it)');
  if (!names.includes(m[1]!)) return scope(`its provenance names '${m[1]}', no protocol of klpcheck's (${names.join(', ')})`);
  if (Number(m[2]) > MAX_RELEASES)
    return scope(`its provenance names cycles of up to ${m[2]} releases, where klpcheck protocols takes ${MAX_RELEASES} at most`);
  if (p.source !== 'exhaustive')
    return {
      at: 'source',
      why: `its provenance says a ${p.source} run found it, where klpcheck protocols searches every cycle (exhaustive)`,
    };
  return undefined;
}
