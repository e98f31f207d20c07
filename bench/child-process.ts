import { spawnSync } from 'node:child_process';
import { semanticsByName } from '../model/semantics/registry.ts';
import type { Semantics } from '../model/semantics/semantics.ts';

/**
 * The main of a bench child (one measurement in a process of its own): its
 * error is one line on stderr, `NAME: message`, and exit 1, not an uncaught
 * exception's stack, whose last line (Node's version) was all the parent
 * reported (found by a hostile-user test, 2026-12-02). The parent reports
 * the child's last stderr line.
 */
export async function childMain(name: string, main: () => unknown): Promise<void> {
  try {
    await main();
  } catch (e) {
    process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}

/** Rounds of processes fastestApart makes by default: one process a side each, alternating. */
const ROUNDS_APART = 2;

/**
 * Each of `sides` timed alone in a child process of its own (`node --import
 * tsx CHILD ...args SIDE`, printing one JSON object with `ms`), `rounds`
 * times, the sides alternating; each side's fastest kept. One process that
 * timed two sides in turn moved the first side's figure by up to a factor of
 * two from run to run, as its code met the other side's calls (stop 48);
 * alone, four processes agreed within 3% (ops-throughput.ts). Throws with the
 * child's last stderr line when one fails, `what` naming the measure.
 */
export function fastestApart<S extends string, T extends { readonly ms: number }>(
  child: string,
  args: readonly string[],
  sides: readonly S[],
  what: string,
  rounds = ROUNDS_APART,
): ReadonlyMap<S, T> {
  const fastest = new Map<S, T>();
  for (let r = 0; r < rounds; r++)
    for (const side of sides) {
      const p = spawnSync(process.execPath, ['--import', 'tsx', child, ...args, side], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`${what}, ${side}: exit ${p.status}: ${p.stderr.trim().split('\n').at(-1)}`);
      const t = JSON.parse(p.stdout) as T;
      const best = fastest.get(side);
      if (!best || t.ms < best.ms) fastest.set(side, t);
    }
  return fastest;
}

/**
 * The main of a fastestApart child, `node --import tsx CHILD SEMANTICS SIDE`:
 * prints `measure(semantics, side)` as one JSON object; a usage error names
 * the sides (childMain's one line).
 */
export async function sideChildMain<S extends string>(
  name: string,
  sides: readonly S[],
  measure: (sem: Semantics, side: S) => { readonly ms: number },
): Promise<void> {
  await childMain(name, () => {
    const [semantics, side, ...rest] = process.argv.slice(2);
    const sem = semanticsByName(semantics ?? '');
    const known = sides.find((s) => s === side);
    if (!sem || !known || rest.length) throw new Error(`usage: ${name} SEMANTICS ${sides.join('|')}`);
    process.stdout.write(`${JSON.stringify(measure(sem, known))}\n`);
  });
}
