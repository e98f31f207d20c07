/**
 * One packed spec-model search in a process of its own (bench/packed-spec.ts),
 * so that its peak memory is its own: `node --import tsx
 * bench/packed-spec-child.ts SCOPE` prints one JSON PackedSpecRow.
 */
import { parseScope } from '../harness/explore/scope.ts';
import { packedSpecOnce } from './packed-spec.ts';

const [scopeText] = process.argv.slice(2);
if (!scopeText) throw new Error('usage: packed-spec-child.ts SCOPE');
const row = packedSpecOnce(parseScope(scopeText));
process.stdout.write(`${JSON.stringify({ ...row, max_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
