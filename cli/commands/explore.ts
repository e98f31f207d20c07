/** `klpcheck explore`: exhaustive bounded exploration of one semantics. */
import { renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { KlpcheckError } from '../../harness/errors.ts';
import { buildCounterexample, saveCounterexample } from '../../harness/counterexample.ts';
import { exploreInParallel } from '../../harness/explore/parallel.ts';
import { DEFAULT_EXPLORE_SCOPE, formatScope, parseScope } from '../../harness/explore/scope.ts';
import { fromJson, merge, toJson, type ExploreSummary } from '../../harness/explore/summary.ts';
import { readJson, validate } from '../../harness/json-file.ts';
import type { VerdictMatrix } from '../../harness/matrix.ts';
import { runSequence } from '../../harness/run-sequence.ts';
import { ALL_PROPERTIES } from '../../harness/suite.ts';
import { FAST_CHECK_VERSION, KLPCHECK_VERSION } from '../../harness/versions.ts';
import { applicableProperties } from '../../harness/explore/explorer.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { CONFORMANCE, INVARIANTS } from '../../properties/catalog.ts';
import { exploreText, type SavedNote } from '../../report/explore/text.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { progress } from '../progress.ts';
import { scopeFuncs } from '../../harness/explore/candidates.ts';
import { COUNTEREXAMPLES, EXPECTED } from '../paths.ts';
import { intOption } from './run.ts';

function parseShard(v: string | boolean | undefined): { index: number; count: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[1]) >= Number(m[2])) throw new KlpcheckError('E_USAGE', `--shard takes i/n with 0 <= i < n, not '${v}'`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** fast-check's shrunk length for the same cell, from verdicts/expected.json, when recorded. */
function randomLength(semantics: string, property: string): number | undefined {
  try {
    const m = validate<VerdictMatrix>('verdict-matrix', readJson(EXPECTED), EXPECTED);
    return m.cells.find((c) => c.semantics === semantics && c.property === property && c.verdict === 'violated')?.length;
  } catch {
    return undefined;
  }
}

/** Saves each shortest counterexample (replayed to build its trace) and says where. */
export function saveViolations(s: ExploreSummary, sem: Semantics, dir: string | undefined): SavedNote[] {
  return s.violations.map((v) => {
    const note: SavedNote = { property: v.property, randomLength: randomLength(sem.name, v.property) };
    if (!dir) return note;
    const inv = INVARIANTS.find((i) => i.id === v.property);
    const result = runSequence(v.universe, sem, v.ops, { invariants: inv ? [inv] : [], conformance: v.property === CONFORMANCE, funcs: scopeFuncs(s.scope) });
    if (!result.violation) throw new Error(`explore: the counterexample for ${v.property} does not replay`);
    const c = buildCounterexample(sem, v.universe, result, {
      source: 'exhaustive',
      depth: v.depth,
      scope: formatScope(s.scope),
      ...(note.randomLength ? { random_length: note.randomLength } : {}),
      fast_check: FAST_CHECK_VERSION,
      klpcheck: KLPCHECK_VERSION,
    });
    return { ...note, file: relative(process.cwd(), saveCounterexample(dir, c).file) };
  });
}

async function runExploration(sem: Semantics, values: Record<string, string | boolean | undefined>, io: Io): Promise<ExploreSummary> {
  const scope = parseScope(values.scope as string | undefined);
  const properties = typeof values.invariant === 'string' ? [values.invariant] : undefined;
  if (properties && !ALL_PROPERTIES.includes(properties[0]!)) throw new KlpcheckError('E_USAGE', `unknown invariant '${properties[0]}'`);
  // A property that does not apply would be checked nowhere: that is not a pass.
  if (properties && !applicableProperties(sem, properties).length) {
    throw new KlpcheckError('E_USAGE', `${properties[0]} does not apply to ${sem.name} (see 'klpcheck compare': n/a); nothing would be checked`);
  }
  const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
  const t0 = io.now();
  const running = exploreInParallel({
    semantics: sem.name,
    scope,
    properties,
    workers: intOption(values.workers, 'workers', 0) || undefined,
    shard: parseShard(values.shard),
    onProgress: (p) => {
      const secs = (io.now() - t0) / 1000;
      bar.update(`klpcheck explore: ${sem.name} depth ${p.depth}, ${p.states} states, ${secs > 0 ? Math.round(p.states / secs) : 0} states/s`);
    },
  });
  const onSigint = () => {
    io.stderr('\nklpcheck explore: stopping; reporting what was covered\n');
    running.stop();
  };
  process.once('SIGINT', onSigint);
  try {
    const s = await running.done;
    const secs = (io.now() - t0) / 1000;
    // Timings vary between runs: stderr, so that stdout depends only on the arguments.
    io.stderr(`klpcheck explore: ${s.distinctStates} states in ${secs.toFixed(1)} s (${secs > 0 ? Math.round(s.distinctStates / secs) : 0} states/s)\n`);
    return s;
  } finally {
    process.off('SIGINT', onSigint);
    bar.clear();
  }
}

export const explore: Command = {
  name: 'explore',
  summary: 'exhaustive bounded exploration: shortest counterexamples, state counts, coverage',
  description: [
    'Enumerates every reachable state of a semantics within a scope, breadth first,',
    'with the reference implementation in lockstep (conformance and every invariant',
    'checked on every transition). With depth=any the search runs to its fixpoint',
    'and a pass holds for sequences of any length. States are stored exactly.',
    'Patches are defined as they first load, named in',
    'load order, and functions, state ids and tasks are treated as interchangeable',
    '(symmetry reduction). Each violated property gets its shortest counterexample,',
    'saved like the random runs; each pass is worded as bounded, with coverage, and',
    'flagged VACUOUS if it never completed a load, refused one, or completed a',
    'transition by a retry. Uses every core; --shard i/n --out FILE and --merge',
    'FILE... share one exploration across machines (all shards, once each).',
    `Ctrl-C stops and reports INCOMPLETE (exit ${EXIT.interrupted} unless a violation was found).`,
    `Scope keys: patches, functions, states, tasks, depth (default ${formatScope(DEFAULT_EXPLORE_SCOPE)}).`,
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `the semantics (${SEMANTICS.map((s) => s.name).join(', ')})` },
    scope: { type: 'string', arg: 'K=V,...', help: 'bounds, e.g. patches=2,functions=2,states=1,tasks=2,depth=5 (depth=any: to the fixpoint)' },
    invariant: { type: 'string', arg: 'NAME', help: 'check one property only' },
    workers: { type: 'string', arg: 'N', help: 'worker threads (default: one per core)' },
    shard: { type: 'string', arg: 'I/N', help: "this machine's share of a multi-machine exploration" },
    out: { type: 'string', arg: 'FILE', help: 'write the result (with state fingerprints) for --merge' },
    merge: { type: 'boolean', help: 'merge the result files given as operands instead of exploring' },
    'no-save': { type: 'boolean', help: 'do not write counterexample files' },
  },
  operands: '[FILE...]',
  examples: [
    'npx klpcheck explore --semantics upstream',
    'npx klpcheck explore --semantics per-state --scope patches=2,functions=2,states=2,depth=5',
    'npx klpcheck explore --semantics upstream --shard 0/2 --out a.json   # then: --merge a.json b.json',
  ],
  async run({ values, positionals }, io) {
    let summary: ExploreSummary;
    if (values.merge) {
      if (!positionals.length) throw new KlpcheckError('E_USAGE', '--merge needs the shard result files');
      for (const flag of ['semantics', 'scope', 'invariant', 'workers', 'shard'] as const) {
        if (values[flag] !== undefined) throw new KlpcheckError('E_USAGE', `--merge takes its semantics and scope from the shard files; --${flag} is meaningless with it`);
      }
      summary = merge(
        positionals.map((f) => fromJson(readJson(f), f)),
        positionals,
      );
    } else {
      if (positionals.length) throw new KlpcheckError('E_USAGE', `explore reads no files without --merge: '${positionals[0]}'`);
      const name = values.semantics as string | undefined;
      if (!name) throw new KlpcheckError('E_USAGE', "explore needs --semantics NAME; see 'klpcheck explore --help'");
      const sem = semanticsByName(name);
      if (!sem) throw new KlpcheckError('E_USAGE', `unknown semantics '${name}' (known: ${SEMANTICS.map((s) => s.name).join(', ')})`);
      summary = await runExploration(sem, values, io);
    }
    if (typeof values.out === 'string') {
      const tmp = `${values.out}.${process.pid}.tmp`;
      writeFileSync(tmp, toJson(summary));
      renameSync(tmp, values.out);
    }
    const sem = semanticsByName(summary.semantics)!;
    const partial = summary.shards.length > 0 && !values.merge;
    // A shard's counterexamples may not be the shortest overall: only whole explorations save.
    const saved = saveViolations(summary, sem, values['no-save'] || partial ? undefined : COUNTEREXAMPLES);
    io.stdout(exploreText(summary, saved));
    if (summary.violations.length) return EXIT.failed;
    if (!summary.complete) {
      io.stderr('klpcheck explore: INCOMPLETE: stopped before the search ended; nothing holds yet\n');
      return EXIT.interrupted;
    }
    return EXIT.ok;
  },
};
