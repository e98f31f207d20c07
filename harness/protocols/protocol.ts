/**
 * A deployment protocol (issue 12, §2): how the vendor chooses a new patch's
 * replace attributes at build time, and what the deployment script reads
 * from /sys/kernel/livepatch at deploy time and passes as module
 * parameters. It is data beside the semantics: the same protocol runs under
 * every semantics, and each patch carries the attributes of every proposal
 * at once (as the thread scenarios do, attrs.ts).
 *
 * A protocol speaks in sets, as the June 2026 thread does (seed
 * 001_3e784c1c435e3259.txt): a release has its own set and the sets it
 * absorbs (replace_sets={own, absorbs...}; slot + merge_slots; provides +
 * obsoletes), and whether it is cumulative (upstream's replace=1).
 */
import type { Source } from '../../model/semantics/semantics.ts';

/** Who releases what: the vendor's cumulative patch or hotfix, or a user's off-band patch. */
export type ReleaseKind = 'cumulative' | 'hotfix' | 'user';

/** One release of a cycle, with the choice its protocol made for it. */
export interface Release {
  readonly kind: ReleaseKind;
  /** Module name: klp-c1, klp-h2, usr-1 ... (the vendor's modules start with `klp-`). */
  readonly name: string;
  /** 0-based position in the cycle: the day it is deployed. */
  readonly day: number;
  /** The fix this release introduces (a function only it patches at first). */
  readonly fix: string;
}

/** The attributes chosen for a release, in the thread's terms. */
export interface SetChoice {
  readonly own: number;
  readonly absorbs: readonly number[];
  /** Upstream's replace=1 (and the tag 1 of the replace tag). */
  readonly cumulative: boolean;
}

export interface BuildChoice extends SetChoice {
  /** Earlier releases whose fixes this one carries besides its own (a cumulative carries the vendor's). */
  readonly carries: readonly string[];
}

/** A loaded patch as the deployment script sees it in sysfs: its name and the sets it shows. */
export interface SysfsPatch {
  readonly name: string;
  readonly own: number;
  readonly absorbs: readonly number[];
}

/** What the script does: load with these set attributes as module parameters, or refuse to load. */
export type DeployChoice = { readonly params: SetChoice } | { readonly refuse: string } | null;

export interface Protocol {
  readonly name: string;
  readonly title: string;
  readonly sources: readonly Source[];
  /** The protocol in words. */
  readonly rule: string;
  /**
   * Build time. `earlier` is every earlier release of the cycle with its
   * build choice, the users' included: a protocol must not read what the
   * vendor cannot know (the users' releases), and the knowledge property
   * checks that it does not (check.ts).
   */
  build(release: Release, earlier: readonly (Release & { readonly choice: BuildChoice })[]): BuildChoice;
  /** Deploy time, from the loaded patches' sysfs files; null keeps the build's attributes. */
  deploy(release: Release, sysfs: readonly SysfsPatch[]): DeployChoice;
}

export const isVendor = (kind: ReleaseKind): boolean => kind !== 'user';
