/**
 * One whole state space in a process of its own (bench/whole-spaces.ts), so
 * that its peak memory is its own: `node --import tsx bench/whole-space-child.ts
 * SEMANTICS SCOPE` prints one JSON ExploreRow with `max_rss_mib`.
 */
import { parseScope } from '../harness/explore/scope.ts';
import { semanticsByName } from '../model/semantics/registry.ts';
import { childMain } from './child-process.ts';
import { exploreOnce } from './explore-scaling.ts';

await childMain('whole-space-child.ts', () => {
  const args = process.argv.slice(2);
  const [name, scopeText] = args;
  const sem = semanticsByName(name ?? '');
  if (!sem || !scopeText || args.length > 2) throw new Error('usage: whole-space-child.ts SEMANTICS SCOPE');
  const row = exploreOnce(sem, parseScope(scopeText));
  process.stdout.write(`${JSON.stringify({ ...row, max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
});
