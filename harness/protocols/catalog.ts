/**
 * The deployment protocols the June 2026 thread proposes (seed
 * 001_3e784c1c435e3259.txt), each as build-time and deploy-time choices.
 * Users pick their own set for an off-band patch: 3 under the static
 * protocols, as in Joe Lawrence's question ("if a user patch has already
 * occupied say, replace_set 3"); the next free one under Yafang Shao's.
 */
import { isVendor, type BuildChoice, type Protocol, type Release, type SysfsPatch } from './protocol.ts';

const SEED = '001_3e784c1c435e3259.txt';
type Earlier = Parameters<Protocol['build']>[1];

const vendorOnly = (earlier: Earlier) => earlier.filter((r) => isVendor(r.kind));
const since = (earlier: Earlier, kind: Release['kind'], after: Release['kind']) => {
  const last = earlier.map((r) => r.kind).lastIndexOf(after);
  return earlier.slice(last + 1).filter((r) => r.kind === kind);
};
const USER_SET = 3;

/** A cumulative patch carries every fix the vendor ever released. */
const carriesVendor = (earlier: Earlier) => vendorOnly(earlier).map((r) => r.name);

/** A user's patch in a fixed set: the user's own stream, each patch carrying the user's earlier fixes. */
const user = (own: number, earlier: Earlier): BuildChoice => ({
  own,
  absorbs: [],
  cumulative: false,
  carries: earlier.filter((r) => r.kind === 'user').map((r) => r.name),
});

/** Upstream today: every vendor release is a cumulative replace=1 patch. */
export const upstreamProtocol: Protocol = {
  name: 'upstream',
  title: 'every release replace=1 (cumulative)',
  sources: [{ ref: 'Documentation/livepatch/cumulative-patches.rst; seed 002', author: 'upstream', date: '2019-01-09' }],
  rule: "Every vendor release, hotfix or not, is a cumulative patch with replace=1 carrying every earlier vendor fix. A user patch is off-band (replace=0) in set 3, carrying the user's earlier patches.",
  build: (r, earlier) =>
    isVendor(r.kind) ? { own: 1, absorbs: [], cumulative: true, carries: carriesVendor(earlier) } : user(USER_SET, earlier),
  deploy: () => null,
};

/** Joe Lawrence's Wed..Tue example: fixed sets per stream. */
export const staticSets: Protocol = {
  name: 'static-sets',
  title: "static sets per stream (Joe Lawrence's Wed..Tue cycle)",
  sources: [{ ref: SEED, author: 'Joe Lawrence', date: '2026-06-17' }],
  rule: 'Cumulative patches take set 1 and absorb set 2 (replace_sets={1,2}); hotfixes take set 2 and carry the hotfixes since the last cumulative (klp-1c, "hotfix v2", replaces klp-1b). A user patch takes set 3 and carries the user\'s earlier patches.',
  build: (r, earlier) => {
    if (r.kind === 'cumulative') return { own: 1, absorbs: [2], cumulative: true, carries: carriesVendor(earlier) };
    if (r.kind === 'hotfix')
      return { own: 2, absorbs: [], cumulative: false, carries: since(earlier, 'hotfix', 'cumulative').map((x) => x.name) };
    return user(USER_SET, earlier);
  },
  deploy: () => null,
};

/** The highest set the vendor used so far (1 for the cumulative stream). */
const vendorMaxSet = (earlier: Earlier) => Math.max(1, ...vendorOnly(earlier).map((r) => r.choice.own));

/** Petr Mladek's reading 3: every hotfix a new set, every cumulative takes over every earlier set. */
export const petrSets: Protocol = {
  name: 'petr-set',
  title: "Petr Mladek's reading 3: a new set per hotfix, each cumulative takes over all",
  sources: [{ ref: SEED, author: 'Petr Mladek', date: '2026-06-18' }],
  rule: "Each hotfix takes the next set the vendor has not used (2, 3, ...); each cumulative takes set 1 and absorbs every set the vendor used before (replace_sets={1,2,3}). The vendor counts its own releases only. A user patch takes set 3 and carries the user's earlier patches.",
  build: (r, earlier) => {
    const max = vendorMaxSet(earlier);
    if (r.kind === 'cumulative')
      return { own: 1, absorbs: Array.from({ length: max - 1 }, (_, i) => i + 2), cumulative: true, carries: carriesVendor(earlier) };
    if (r.kind === 'hotfix') return { own: max + 1, absorbs: [], cumulative: false, carries: [] };
    return user(USER_SET, earlier);
  },
  deploy: () => null,
};

// Every set a loaded patch lists in replace_sets counts as occupied.
const inUse = (sysfs: readonly SysfsPatch[]) => new Set(sysfs.flatMap((p) => [p.own, ...p.absorbs]));
const nextFree = (sysfs: readonly SysfsPatch[]) => {
  const used = inUse(sysfs);
  let n = 2;
  while (used.has(n)) n++;
  return n;
};

/**
 * Yafang Shao's dynamic enumeration: "the hotfix should be assigned to a set
 * that is not currently in use ... a user-space script can inspect
 * /sys/kernel/livepatch/<patch>/replace_set". Reading for the cumulative
 * patch (Joe Lawrence's question, "how does it know that it should
 * replace_sets=1,2,4 and leave 3 alone?"): the script passes the sets of the
 * loaded vendor patches, which it tells by their module names.
 */
export const yafangDynamic: Protocol = {
  name: 'yafang-dynamic',
  title: "Yafang Shao's dynamic enumeration by a script reading sysfs",
  sources: [{ ref: SEED, author: 'Yafang Shao (quoted by Joe Lawrence)', date: '2026-06-18' }],
  rule: 'Built without sets. At deploy time the script reads /sys/kernel/livepatch/*/replace_set: a hotfix or a user patch gets the lowest set from 2 up that no loaded patch uses; a cumulative gets set 1 and absorbs the sets of the loaded vendor patches (klp-*), leaving the others alone.',
  build: (r, earlier) =>
    r.kind === 'cumulative'
      ? { own: 1, absorbs: [], cumulative: true, carries: carriesVendor(earlier) }
      : { own: 0, absorbs: [], cumulative: false, carries: [] },
  deploy: (r, sysfs) => {
    if (r.kind !== 'cumulative') return { params: { own: nextFree(sysfs), absorbs: [], cumulative: false } };
    const vendor = sysfs.filter((p) => p.name.startsWith('klp-'));
    const absorbs = [...new Set(vendor.flatMap((p) => [p.own, ...p.absorbs]))].filter((s) => s !== 1).sort((a, b) => a - b);
    return { params: { own: 1, absorbs, cumulative: true } };
  },
};

/**
 * The same enumeration done when the vendor builds the patch, the reading
 * Joe Lawrence questions: the next free set depends on what users loaded,
 * which the vendor cannot know. Kept to show the knowledge property failing.
 */
export const yafangAtBuild: Protocol = {
  name: 'yafang-at-build',
  title: "dynamic enumeration done at build time (needs the users' sets)",
  sources: [{ ref: SEED, author: 'Joe Lawrence', date: '2026-06-18' }],
  rule: "As yafang-dynamic, but the vendor picks the sets when it builds the patch, from every patch loaded so far, the users' included.",
  build: (r, earlier) => {
    const loaded = earlier.map((e) => ({ name: e.name, own: e.choice.own, absorbs: e.choice.absorbs }));
    const p = yafangDynamic.deploy(r, loaded) as { params: BuildChoice };
    return { ...p.params, carries: r.kind === 'cumulative' ? carriesVendor(earlier) : [] };
  },
  deploy: () => null,
};

export const PROTOCOLS: readonly Protocol[] = [upstreamProtocol, staticSets, petrSets, yafangDynamic, yafangAtBuild];

export const protocolByName = (name: string): Protocol | undefined => PROTOCOLS.find((p) => p.name === name);
