/**
 * One packed search in a process of its own (bench/packed-spec.ts),
 * so that its peak memory is its own: `node --import tsx
 * bench/packed-spec-child.ts SCOPE MODEL [WORKERS | --warm [NAME] | --semantics NAME [--max-states N]]` (MODEL
 * spec or lockstep, harness/explore/packed/models.ts) prints one JSON
 * PackedSpecRow; with --warm, the search runs twice and the row adds the
 * second one's cpu seconds (warm_cpu_seconds: V8 has compiled the hot code,
 * as gcc has compiled pan before pan's own clock starts), of semantics NAME if named; with WORKERS, the search runs on that many worker threads
 * (harness/explore/packed/parallel.ts), and the row gives its wall seconds;
 * with --semantics, it searches that semantics' model (default upstream)
 * and writes a line to stderr after each level (packed-spec.ts LEVEL_LINE),
 * so that a search killed at its time limit still tells how far it got;
 * with --max-states, it stores at most N states (search.ts maxStates).
 */
import { parseScope } from '../harness/explore/scope.ts';
import { childMain } from './child-process.ts';
import { packedSpecOnce, packedSpecParallelOnce } from './packed-spec.ts';

await childMain('packed-spec-child.ts', async () => {
  const args = process.argv.slice(2);
  const [scopeText, model, workers, semantics, budgetFlag, budget] = args;
  const usage = 'usage: packed-spec-child.ts SCOPE spec|lockstep [WORKERS | --warm [NAME] | --semantics NAME [--max-states N]]';
  if (!scopeText || (model !== 'spec' && model !== 'lockstep') || args.length > 6) throw new Error(usage);
  if (workers === '--warm') {
    if (args.length !== 3 && args.length !== 4) throw new Error(usage);
    const scope = parseScope(scopeText);
    const cold = packedSpecOnce(scope, model, semantics);
    const warm = packedSpecOnce(scope, model, semantics);
    if (warm.states !== cold.states) throw new Error(`--warm: ${cold.states} states, then ${warm.states}`);
    const row = { ...cold, warm_cpu_seconds: warm.cpu_seconds };
    process.stdout.write(`${JSON.stringify({ ...row, max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    return;
  }
  if (workers === '--semantics' ? !semantics : workers !== undefined && (!/^[1-9]\d*$/.test(workers) || args.length > 3))
    throw new Error(usage);
  if (args.length > 4 && (budgetFlag !== '--max-states' || !/^[1-9]\d*$/.test(budget ?? '') || args.length !== 6)) throw new Error(usage);
  const scope = parseScope(scopeText);
  const row =
    workers === '--semantics'
      ? packedSpecOnce(
          scope,
          model,
          semantics,
          (depth, states, transitions) => process.stderr.write(`level ${depth}: ${states} states, ${transitions} transitions\n`),
          budget === undefined ? undefined : Number(budget),
        )
      : workers
        ? await packedSpecParallelOnce(scope, model, Number(workers))
        : packedSpecOnce(scope, model);
  process.stdout.write(`${JSON.stringify({ ...row, max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
});
