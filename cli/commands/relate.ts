/** `klpcheck relate`: how the semantics relate within a bound, as a lattice (issue 12, §5). */
import { behaviour } from '../../harness/relate/behaviour.ts';
import { DEFAULT_BOUND, type RelateBound } from '../../harness/relate/bound.ts';
import { count, SequenceBudget } from '../../harness/relate/budget.ts';
import { lattice, relate as relatePair, type PairRelation } from '../../harness/relate/relation.ts';
import { replayKey } from '../../harness/relate/replay.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import { latticeHtml, latticeMarkdown, latticeText } from '../../report/lattice.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { progress } from '../progress.ts';
import { selectedSemantics } from '../selection.ts';
import { checkOutputFile, writeAtomically } from '../output-files.ts';
import { raiseLate } from '../late-errors.ts';
import { attempt, escapeControls, KlpcheckError } from '../../harness/errors.ts';

export const relate: Command = {
  name: 'relate',
  summary: 'bounded pairwise comparison of the semantics: equal, refines, incomparable, as a lattice',
  operands: '',
  description: [
    'Runs every semantics on the same small universes (patches carrying every',
    "proposal's attributes: a cumulative in set 1, a hotfix in set 2, a cumulative",
    "absorbing set 2) and every sequence of loads, loads with the admin's parameter,",
    'disables, rmmods and a task sleeping in f1, up to --depth ops. Two semantics are',
    'equal when every sequence has the same outcome and abstract state; A refines B',
    'when every sequence A accepts, B accepts with the same state. Prints the classes',
    'of equal semantics, the Hasse diagram and, for each pair shown, a shortest',
    'separating sequence each way. Every answer holds within the bound only.',
  ],
  options: {
    semantics: { type: 'string', arg: 'A,B', help: `semantics (default: all ${SEMANTICS.length}); up to 4 show every pair in detail` },
    depth: { type: 'whole', range: { min: 1, max: 8 }, arg: 'N', help: `longest sequence (default ${DEFAULT_BOUND.depth})` },
    patches: { type: 'whole', range: { min: 1, max: 4 }, arg: 'N', help: `patches per universe (default ${DEFAULT_BOUND.patches})` },
    functions: { type: 'whole', range: { min: 1, max: 4 }, arg: 'N', help: `functions (default ${DEFAULT_BOUND.functions})` },
    states: {
      type: 'whole',
      range: { min: 0, max: 1 },
      arg: '0|1',
      help: 'with 1, a patch may also carry state 1 (version 1, or 2 with block_disable); default 0',
    },
    markdown: { type: 'boolean', help: 'print as markdown: the edges as a table, then each pair shown with its separating sequences' },
    html: { type: 'string', arg: 'FILE', help: 'also write a page with the Hasse diagram (SVG); an existing FILE is kept unless --force' },
    force: { type: 'boolean', help: 'with --html, replace an existing FILE', requires: ['html'] },
  },
  examples: [
    'npx klpcheck relate --semantics slots,provides-obsoletes',
    'npx klpcheck relate --html /tmp/lattice.html',
    'npx klpcheck relate --states 1 --depth 2 --semantics upstream,per-state,replace-tag-draft',
  ],
  async run({ values }, io) {
    const sems = selectedSemantics(values.semantics);
    // One semantics relates to nothing: it printed an empty lattice with exit 0 (stop 42's hostile user).
    if (sems.length < 2)
      throw new KlpcheckError(
        'E_USAGE',
        `relate compares semantics: name two or more in --semantics, or leave it out for all ${SEMANTICS.length}`,
      );
    const b: RelateBound = {
      depth: numberOption(values, 'depth', DEFAULT_BOUND.depth),
      patches: numberOption(values, 'patches', DEFAULT_BOUND.patches),
      functions: numberOption(values, 'functions', DEFAULT_BOUND.functions),
      states: numberOption(values, 'states', DEFAULT_BOUND.states),
    };
    // The page is checked before the work, not after it.
    const html = values.html as string | undefined;
    if (html !== undefined) checkOutputFile(html, '--html', { force: values.force === true, existing: 'refuse' });
    // A bound whose sequences would not fit in memory is refused, before the work when it can be told then.
    const budget = new SequenceBudget(b, sems.length);
    budget.refuseEstimate(sems);
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    let running = '';
    budget.onProgress((held, guess) =>
      bar.update(`${running}, ${count(held)} sequences held${guess === undefined ? '' : ` of about ${count(guess)} (a guess)`}`),
    );
    const behaviours = sems.map((s, i) => {
      running = `klpcheck relate: running ${s.name} (${i + 1} of ${sems.length})`;
      bar.update(running);
      return [s.name, behaviour(s, b, budget, sems.length - i)] as const;
    });
    bar.clear();
    const pairs: PairRelation[] = [];
    behaviours.forEach(([a, ba], i) => behaviours.slice(i + 1).forEach(([c, bc]) => pairs.push(relatePair(a, ba, c, bc))));
    const l = lattice(
      sems.map((s) => s.name),
      pairs,
    );
    const edgePairs = pairs.filter((p) => l.edges.some((e) => [p.a, p.b].includes(e.below) && [p.a, p.b].includes(e.above)));
    const detail = sems.length <= 4 ? pairs : edgePairs;
    const replay = (name: string, key: string) => replayKey(semanticsByName(name)!, key, b);
    const text = latticeText(l, b, detail, replay);
    io.stdout(values.markdown ? latticeMarkdown(l, b, detail, replay) : text);
    // The page after the report, as compare's: a write that fails now must not cost the report; its error comes last.
    const { error: unwritten } = attempt(() => {
      if (html === undefined) return;
      writeAtomically(html, latticeHtml(l, b, text), values.force === true, '--html');
      io.stderr(`klpcheck relate: wrote ${escapeControls(html)}\n`);
    });
    raiseLate([unwritten]);
    return EXIT.ok;
  },
};
