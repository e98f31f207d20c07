// Worker threads do not inherit tsx's loader registration; register it here.
import { register } from 'tsx/esm/api';

register();
// The explorer's worker, or the one the job names (the packed engine's: harness/explore/packed/parallel.ts).
const { workerData } = await import('node:worker_threads');
await import(workerData?.module ?? './worker.ts');
