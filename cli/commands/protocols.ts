/** `klpcheck protocols`: release cycles under each deployment protocol and semantics (issue 12, §2). */
import { saveCounterexample } from '../../harness/counterexample.ts';
import { PROTOCOLS, protocolByName } from '../../harness/protocols/catalog.ts';
import { cycleCounterexample } from '../../harness/protocols/counterexample.ts';
import { DEFAULT_MAX_RELEASES, protocolVerdict } from '../../harness/protocols/search.ts';
import { MAX_RELEASES } from '../../harness/protocols/record-scope.ts';
import { SEMANTICS, semanticsByName } from '../../model/semantics/registry.ts';
import { cycleTimeline, protocolMatrixMarkdown, protocolMatrixText } from '../../report/protocols.ts';
import { numberOption, type Command } from '../command.ts';
import { EXIT, soExit1 } from '../exit.ts';
import { plural } from '../../harness/plural.ts';
import { progress } from '../progress.ts';
import { list, selectedSemantics } from '../selection.ts';
import { checkOutputDirOutsideStore } from '../output-files.ts';
import { notSaved, raiseLate } from '../late-errors.ts';
import { attempt, KlpcheckError, escapeControls } from '../../harness/errors.ts';

export const protocols: Command = {
  name: 'protocols',
  summary: 'release cycles of cumulative patches, hotfixes and user patches under each deployment protocol',
  operands: '',
  description: [
    "Generates every release cycle up to --releases releases: the vendor's cumulative",
    "patches (C) and hotfixes (H) and users' off-band patches (U), one a working day.",
    'Each protocol (harness/protocols/catalog.ts) chooses the attributes at build time',
    'and, for a script, at deploy time from sysfs. Each cycle is checked for: every',
    'release loads unless the script refuses it (loads), no landed fix stops running',
    "(fixes), no build needs the users' patches (knowledge), and every invariant the",
    'semantics promises. Prints, per semantics and protocol, holds (for every cycle',
    'of up to --releases releases, as the header says) or the shortest failing',
    'cycle; --timeline prints each failing cycle week by week.',
    'Exits 1 when a cycle fails (a finding, not an error; stderr says so).',
  ],
  options: {
    semantics: { type: 'string', arg: 'A,B', help: `semantics (default: all ${SEMANTICS.length})` },
    protocols: { type: 'string', arg: 'X,Y', help: `protocols (default: ${PROTOCOLS.map((p) => p.name).join(', ')})` },
    releases: {
      type: 'whole',
      range: { min: 1, max: MAX_RELEASES },
      arg: 'N',
      help: `longest cycle, in releases (default ${DEFAULT_MAX_RELEASES})`,
    },
    timeline: { type: 'boolean', help: 'also print every failing cycle as a weekly timeline' },
    markdown: { type: 'boolean', help: 'print the matrix as markdown' },
    out: {
      type: 'string',
      arg: 'DIR',
      help: "write each failing cycle as a counterexample file in DIR (render it with 'klpcheck render')",
    },
  },
  examples: [
    'npx klpcheck protocols',
    'npx klpcheck protocols --semantics slots --protocols petr-set --timeline',
    'npx klpcheck protocols --releases 6 --markdown',
  ],
  async run({ values }, io) {
    const sems = selectedSemantics(values.semantics);
    const protos =
      list(
        values.protocols,
        PROTOCOLS.map((p) => p.name),
        'protocol',
        protocolByName,
      ) ?? PROTOCOLS;
    const max = numberOption(values, 'releases', DEFAULT_MAX_RELEASES);
    if (typeof values.out === 'string') checkOutputDirOutsideStore(values.out, '--out', 'a release cycle', sems);
    const bar = progress({ write: io.stderr, isTTY: io.stderrIsTTY, now: io.now });
    // As relate's: what runs, and how far along (it read `upstream x static-sets`; hostile user, stop 40).
    const cells = sems.length * protos.length;
    const verdicts = sems.flatMap((s, i) =>
      protos.map((p, j) => {
        bar.update(`klpcheck protocols: running ${p.name} under ${s.name} (${i * protos.length + j + 1} of ${cells})`);
        return protocolVerdict(p, s, max);
      }),
    );
    bar.clear();
    io.stdout(values.markdown ? protocolMatrixMarkdown(verdicts) : protocolMatrixText(verdicts));
    // In markdown, the timeline's columns as a fenced block: as text they ran into one paragraph (hostile-user nit, stop 37).
    const fence = (t: string) => (values.markdown ? `\n\`\`\`text\n${t}\`\`\`\n` : `\n${t}`);
    if (values.timeline) for (const v of verdicts.filter((x) => x.counterexample)) io.stdout(fence(cycleTimeline(v)));
    // Every file that can be written is, each refusal named (a hand-edited file of the name is kept); the error comes last.
    const unsaved: KlpcheckError[] = [];
    if (typeof values.out === 'string') {
      for (const v of verdicts) {
        const c =
          v.counterexample && cycleCounterexample(v.counterexample, semanticsByName(v.semantics)!, protocolByName(v.protocol)!, max);
        if (!c) continue;
        const dir = values.out;
        const { value: saved, error } = attempt(() => saveCounterexample(dir, c));
        if (saved)
          io.stderr(`klpcheck protocols: ${saved.status === 'written' ? 'wrote' : 'already saved'} ${escapeControls(saved.file)}\n`);
        else {
          io.stderr(`klpcheck protocols: ${v.semantics} ${v.protocol}: counterexample ${notSaved(error)}\n`);
          unsaved.push(error);
        }
      }
    }
    const failing = verdicts.filter((v) => v.counterexample).length;
    // Exit 1 is the finding, as compare's (a file not saved ends the run with its error, exit 2, after this line).
    if (failing)
      io.stderr(
        `klpcheck protocols: a failing cycle in ${failing} of ${plural(verdicts.length, 'cell')}${soExit1(io, unsaved.length > 0)}\n`,
      );
    raiseLate(unsaved);
    return failing ? EXIT.failed : EXIT.ok;
  },
};
