/** `klpcheck replay`: re-run saved counterexamples and say whether each still breaks its property. */
import { escapeControls, KlpcheckError } from '../../harness/errors.ts';
import { readCounterexample } from '../../harness/counterexample.ts';
import { replayCounterexample, type ReplayVerdict } from '../../harness/replay.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { scenarioFiles } from '../scenario-files.ts';
import { semanticsNamed } from '../selection.ts';
import { styleFor, type Style } from '../style.ts';

function describeVerdict(v: ReplayVerdict, style: Style): string {
  switch (v.kind) {
    case 'reproduced':
      return `${style.fail('still violated')} at step ${v.step + 1}: ${v.reason}`;
    case 'violated':
      return `${style.fail('still violated')} at step ${v.step + 1} (${v.note}): ${v.reason}`;
    case 'fixed':
      return `${style.pass('fixed')}: ${v.steps === 1 ? 'its 1 step holds' : `all ${v.steps} steps hold`}${v.skipped ? ` (${v.skipped} no longer applicable, skipped)` : ''}${v.differs ? `, though not as recorded (${v.differs})` : ''}`;
    case 'not-checked':
      return `${style.dim('not checked')}: ${v.why}`;
  }
}

export const replay: Command = {
  name: 'replay',
  summary: 'replay saved counterexamples: still violated, or fixed?',
  operands: 'FILE...',
  description: [
    'Re-runs each saved counterexample (a file, or every *.json below a directory)',
    'on the reference implementation and the spec model, against its own semantics',
    'or the one named with --semantics, and checks the property it violated.',
    'This answers the question a reviewer asks of a new revision of a proposal:',
    'does the old counterexample still break it? Exit status 1 when any still does.',
    "A file is 'not checked' when its property does not apply to the semantics",
    "(n/a in compare's matrix), is a release cycle's (loads, fixes, knowledge: the",
    'ones klpcheck protocols --out saves), the step it was violated at fails its',
    'precondition today, or its own universe gives the property nothing to check',
    '(no-silent-downgrade without forbid_downgrade): nothing was replayed',
    'for it; when no file could be checked, exit 2 (E_UNCHECKED; E_USAGE when',
    '--semantics made every property not apply).',
  ],
  options: {
    semantics: { type: 'string', arg: 'NAME', help: `replay against this semantics instead (${SEMANTICS.map((s) => s.name).join(', ')})` },
  },
  examples: ['npx klpcheck replay counterexamples/', 'npx klpcheck replay counterexamples/upstream/ --semantics per-state'],
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new KlpcheckError('E_USAGE', "replay needs at least one FILE; see 'klpcheck replay --help'");
    const named = values.semantics as string | undefined;
    const override = named === undefined ? undefined : semanticsNamed(named);
    const style = styleFor(io, values['no-color'] === true);
    // Read and check every file first (readCounterexample refuses an unknown
    // semantics, a dangling reference, a name that no longer matches): one bad
    // file stops the run before any result is printed.
    const loaded = scenarioFiles(positionals, (line) => io.stderr(`klpcheck replay: ${line}\n`), undefined, 'counterexample').map(
      (file) => ({
        file,
        c: readCounterexample(file),
      }),
    );
    const replays = loaded.map(({ file, c }) => {
      const sem = override ?? semanticsByName(c.semantics)!;
      return { file, c, sem, verdict: replayCounterexample(c, sem, file).verdict };
    });
    const count = (kind: (v: ReplayVerdict) => boolean) => replays.filter((r) => kind(r.verdict)).length;
    const unchecked = count((v) => v.kind === 'not-checked');
    // Nothing checked is not a pass (run and explore refuse a property that applies to none of their semantics too).
    const lines = () => {
      for (const { file, c, sem, verdict } of replays)
        io.stdout(`${escapeControls(file)}: ${sem.name} ${c.invariant}: ${describeVerdict(verdict, style)}\n`);
    };
    if (unchecked === replays.length) {
      const one = replays.length === 1 ? replays[0]! : undefined;
      // Each file's reason, as the README promises: the one line below names it only for a single file (stop 36 nit).
      if (!one) lines();
      const only = one?.verdict.kind === 'not-checked' ? ` (${one.verdict.why})` : '';
      // The command line's doing only when --semantics made every property not apply; else each file's own reason.
      // --semantics naming a file's own semantics changed nothing for it (hostile-user nit).
      const byOverride =
        override !== undefined &&
        replays.every((r) => r.verdict.kind === 'not-checked' && r.verdict.why.startsWith('n/a: ') && r.c.semantics !== override.name);
      throw new KlpcheckError(
        byOverride ? 'E_USAGE' : 'E_UNCHECKED',
        `${replays.length === 1 ? 'the counterexample could not' : `none of the ${replays.length} counterexamples could`} be checked${override ? ` under ${override.name}` : ''}${only}: nothing replayed`,
        // The file, as every exit-2 line names its input; a folder's files are each named on their own lines otherwise.
        one?.file,
      );
    }
    lines();
    const violated = count((v) => v.kind === 'reproduced' || v.kind === 'violated');
    const fixed = count((v) => v.kind === 'fixed');
    io.stdout(`${violated} still violated, ${fixed} fixed${unchecked ? `, ${unchecked} not checked` : ''}\n`);
    return violated ? EXIT.failed : EXIT.ok;
  },
};
