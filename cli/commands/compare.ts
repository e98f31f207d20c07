/** `klpcheck compare`: every semantics against every property, side by side. */
import { renameSync, writeFileSync } from 'node:fs';
import { KlpcheckError } from '../../harness/errors.ts';
import { computeMatrix, exhaustiveMatrix, type VerdictMatrix } from '../../harness/matrix.ts';
import { exploreInParallel } from '../../harness/explore/parallel.ts';
import { parseScope, type ExploreScope } from '../../harness/explore/scope.ts';
import type { Semantics } from '../../model/semantics/semantics.ts';
import { saveViolations } from './explore.ts';
import { ALL_PROPERTIES } from '../../harness/suite.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import { promisedBy } from '../../model/semantics/promises.ts';
import { matrixHtml } from '../../report/matrix/html.ts';
import { matrixMarkdown } from '../../report/matrix/markdown.ts';
import { readCounterexample } from '../../harness/counterexample.ts';
import { join } from 'node:path';
import { matrixText } from '../../report/matrix/text.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { progress } from '../progress.ts';
import { styleFor } from '../style.ts';
import { COUNTEREXAMPLES, EXPECTED, ROOT } from '../paths.ts';
import { intOption, seedOption } from './run.ts';


export function list<T>(value: string | boolean | undefined, known: readonly string[], what: string, find: (n: string) => T | undefined): T[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((n) => {
    const found = find(n.trim());
    if (found === undefined) throw new KlpcheckError('E_USAGE', `unknown ${what} '${n}' (known: ${known.join(', ')})`);
    return found;
  });
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function exhaustive(
  semantics: readonly Semantics[],
  properties: readonly string[],
  scope: ExploreScope,
  saveDir: string | undefined,
  say: (text: string) => void,
): Promise<VerdictMatrix> {
  const results = [];
  for (const sem of semantics) {
    const summary = await exploreInParallel({ semantics: sem.name, scope, properties, onProgress: (p) => say(`klpcheck compare: ${sem.name} depth ${p.depth}, ${p.states} states`) }).done;
    const notes = saveViolations(summary, sem, saveDir);
    results.push({ summary, files: new Map(notes.flatMap((n) => (n.file ? [[n.property, n.file] as const] : []))) });
  }
  return exhaustiveMatrix(results, properties, ROOT);
}

export const compare: Command = {
  name: 'compare',
  summary: 'every semantics against every invariant and conformance: the verdict matrix',
  operands: '',
  description: [
    'Runs each semantics through conformance and every invariant (random runs, as',
    "'klpcheck run') and prints the matrix: a cell holds (with the sequences and",
    'steps checked) or is violated (with the length of the minimal counterexample,',
    'saved in counterexamples/). --record writes the matrix to verdicts/expected.json,',
    'which the tests check on every run.',
  ],
  options: {
    semantics: { type: 'string', arg: 'A,B', help: `semantics to compare (default: all ${SEMANTICS.length})` },
    invariants: { type: 'string', arg: 'X,Y', help: 'properties to check (default: conformance and every invariant)' },
    runs: { type: 'string', arg: 'N', help: 'sequences per cell (default 500)' },
    seed: { type: 'string', arg: 'S', help: "fast-check seed, or 'random' (default 1)" },
    steps: { type: 'string', arg: 'N', help: 'maximum operations per sequence (default 30)' },
    markdown: { type: 'boolean', help: 'print a markdown table' },
    json: { type: 'boolean', help: 'print the VerdictMatrix (schema/verdict-matrix.schema.json)' },
    html: { type: 'string', arg: 'FILE', help: 'also write one self-contained page, each violation linked to its timeline' },
    record: { type: 'boolean', help: 'also write verdicts/expected.json' },
    'no-save': { type: 'boolean', help: 'do not write counterexample files' },
    out: { type: 'string', arg: 'DIR', help: 'where to save counterexamples (default: the repository counterexamples/)' },
    exhaustive: { type: 'boolean', help: 'use the exhaustive explorer for every cell (see klpcheck explore)' },
    scope: { type: 'string', arg: 'K=V,...', help: 'with --exhaustive: the scope (default as klpcheck explore)' },
  },
  examples: [
    'npx klpcheck compare',
    'npx klpcheck compare --semantics upstream,per-state --runs 2000 --markdown',
    'npx klpcheck compare --html /tmp/verdicts.html',
    'npx klpcheck compare --exhaustive --scope depth=5',
  ],
  async run({ values }, io) {
    const semantics = list(values.semantics, SEMANTICS.map((s) => s.name), 'semantics', semanticsByName) ?? SEMANTICS;
    const properties = list(values.invariants, ALL_PROPERTIES, 'property', (n) => (ALL_PROPERTIES.includes(n) ? n : undefined));
    const seed = seedOption(values.seed);
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    const saveDir = values['no-save'] ? undefined : ((values.out as string | undefined) ?? COUNTEREXAMPLES);
    const computed: VerdictMatrix = values.exhaustive
      ? await exhaustive(semantics, properties ?? ALL_PROPERTIES, parseScope(values.scope as string | undefined), saveDir, (t) => bar.update(t))
      : computeMatrix({
      semantics,
      properties,
      runs: intOption(values.runs, 'runs', 500, 1),
      seed,
      maxSteps: intOption(values.steps, 'steps', 30, 1),
      saveDir,
      root: ROOT,
      onCell: (done, total, cell) => bar.update(`klpcheck compare: ${done}/${total} cells (${cell.semantics} ${cell.property})`),
    });
    bar.clear();
    const matrix: VerdictMatrix = { ...computed, promised: promisedBy(semantics) };
    const json = `${JSON.stringify(matrix, null, 2)}\n`;
    if (values.record) writeAtomically(EXPECTED, json);
    if (typeof values.html === 'string') {
      const files = matrix.cells.flatMap((c) => (c.counterexample ? [c.counterexample] : []));
      const loaded = new Map(files.map((f) => [f, readCounterexample(join(ROOT, f))] as const));
      writeAtomically(values.html, matrixHtml(matrix, loaded));
      io.stderr(`klpcheck compare: wrote ${values.html}\n`);
    }
    const style = styleFor(io, values['no-color'] === true);
    if (values.json) io.stdout(json);
    else if (values.markdown) io.stdout(matrixMarkdown(matrix));
    else io.stdout(matrixText(matrix, { holds: style.pass, violated: style.fail, dim: style.dim }));
    return matrix.cells.some((c) => c.verdict === 'violated') ? EXIT.failed : EXIT.ok;
  },
};
