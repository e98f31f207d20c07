/**
 * One packed spec-model search in a process of its own (bench/packed-spec.ts),
 * so that its peak memory is its own: `node --import tsx
 * bench/packed-spec-child.ts SCOPE [WORKERS]` prints one JSON PackedSpecRow;
 * with WORKERS, the search runs on that many worker threads
 * (harness/explore/packed/parallel.ts), and the row gives its wall seconds.
 */
import { parseScope } from '../harness/explore/scope.ts';
import { packedSpecOnce, packedSpecParallelOnce } from './packed-spec.ts';

const [scopeText, workers] = process.argv.slice(2);
if (!scopeText || (workers !== undefined && !/^[1-9]\d*$/.test(workers))) throw new Error('usage: packed-spec-child.ts SCOPE [WORKERS]');
const row = workers ? await packedSpecParallelOnce(parseScope(scopeText), Number(workers)) : packedSpecOnce(parseScope(scopeText));
process.stdout.write(`${JSON.stringify({ ...row, max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
