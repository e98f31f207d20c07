/** `klpcheck render FILE --format F [--out FILE]`: one counterexample as mail text, markdown, a timeline or a selftest. */
import { readCounterexample } from '../../harness/counterexample.ts';
import { recordCaution, replayCounterexample, staleness } from '../../harness/replay.ts';
import { semanticsByName } from '../../model/semantics/registry.ts';
import { shownPath } from '../late-errors.ts';
import { KlpcheckError, escapeControls, placedIn } from '../../harness/errors.ts';
import { contextFor } from '../../report/context.ts';
import { FORMATS, RENDERERS, type Format } from '../../report/index.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';
import { checkOutputFile, sameFile, writeAtomically } from '../output-files.ts';
import { unspaced } from '../../harness/unspaced.ts';

function formatOption(value: unknown): Format {
  if (typeof value !== 'string') return 'text';
  // Trimmed of ASCII spaces as a name is (unspaced.ts): ' svg ' was an unknown format (helper-103).
  const name = unspaced(value);
  if (!(FORMATS as readonly string[]).includes(name)) {
    throw new KlpcheckError('E_USAGE', `unknown format '${value}' (formats: ${FORMATS.join(', ')}); see 'klpcheck render --help'`);
  }
  return name as Format;
}

export const render: Command = {
  name: 'render',
  summary: 'turn a counterexample into mail text, markdown, an HTML or SVG timeline, or a selftest',
  operands: 'FILE',
  description: [
    'Renders one saved counterexample (counterexamples/<semantics>/*.json):',
    '  text      plain ASCII to paste into a mailing-list reply: at most 72 columns,',
    '            but for its last part, the kernel log, each line whole as dmesg',
    '            shows it',
    '  markdown  the same with tables and a mermaid sequence diagram',
    '  html      one self-contained page: the timeline picture and the text',
    '  svg       the timeline alone: a lane per slot, a bar per patch',
    '  selftest  a draft tools/testing/selftests/livepatch script with the',
    '            kernel log the reference implementation expects',
    'The output is byte-stable: the same file renders to the same bytes.',
    'The counterexample is replayed first: when it no longer reproduces as',
    'recorded, a note on stderr and a CAUTION line at the top of the rendering',
    '(but svg) say so; the rendering still shows the record, but for a selftest:',
    'a script runs what the reference implementation does today, so its steps,',
    "clean-up and expected log are today's, as its CAUTION says.",
    'Without --out it goes to stdout; --out writes through a temporary file',
    'and never replaces a file with other content unless --force.',
  ],
  options: {
    format: { type: 'string', short: 'f', arg: 'FORMAT', help: `one of ${FORMATS.join(', ')} (default text)` },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE instead of stdout' },
    force: { type: 'boolean', help: 'with --out, replace a file that has other content', requires: ['out'] },
  },
  examples: [
    'klpcheck render counterexamples/upstream/no-function-shared-across-slots-d9380e0d84a2.json',
    'klpcheck render --format html --out cx.html counterexamples/per-state/callback-pairing-bceec61f95bc.json',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new KlpcheckError('E_USAGE', `render takes one counterexample FILE, not ${positionals.length}; see 'klpcheck render --help'`);
    }
    const format = formatOption(values.format);
    const out = values.out as string | undefined;
    // --force replaces an output, never the input: `render X --out X --force` wrote mail text over the counterexample.
    if (out !== undefined && sameFile(positionals[0]!, out))
      throw new KlpcheckError(
        'E_USAGE',
        '--out is the counterexample FILE itself: the rendering would replace its input, even with --force; write it to another file',
        out,
      );
    if (out !== undefined) checkOutputFile(out, '--out', { force: values.force === true, existing: 'compare', printsWithout: true });
    const file = positionals[0]!;
    const c = readCounterexample(file);
    // A rendering quotes the record; say when today's model no longer gives it (a file fixed since, or edited under
    // a name without its hash, which the store's check cannot see), so a reply never quotes a stale trace unawares:
    // on stderr, and at the top of the rendering itself (but the picture alone, svg).
    // A record replay cannot check as a matter of course (a release cycle's, which protocols checks) is not stale:
    // stderr's note alone. One whose steps can none run today is (replay.ts not-checked `stale`), and so is one whose
    // property does not apply to its own semantics (n/a): it was rendered as a live violation with no CAUTION
    // (helper-125: a per-state shadow-lifetime record edited to say upstream).
    const verdict = replayCounterexample(c, semanticsByName(c.semantics)!, file).verdict;
    const stale = staleness(verdict);
    const caution = recordCaution(c, verdict);
    const ctx = { ...contextFor(c), ...(caution ? { stale: caution } : {}) };
    const text = inFile(file, () => RENDERERS[format](c, ctx));
    // A selftest runs what the reference implementation does today, as its CAUTION says: not the record (helper-103).
    const shows =
      format === 'selftest' ? "this selftest is today's steps, clean-up and log, not the record's" : 'this renders the record as saved';
    if (stale) io.stderr(`klpcheck render: note: ${shownPath(file)} ${stale} under ${c.semantics}; ${shows}\n`);
    if (out === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    // A selftest is run directly (tools/testing/selftests' runner execs it): executable, as the kernel's are.
    const status = writeAtomically(out, text, values.force === true, '--out', format === 'selftest' ? 0o755 : undefined);
    io.stderr(`klpcheck render: ${status === 'written' ? 'wrote' : 'unchanged'} ${escapeControls(out)}\n`);
    return EXIT.ok;
  },
};

/** `f()`, with a KlpcheckError it throws that names no file (a renderer's refusal, at a JSON pointer) named as `file`'s. */
function inFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof KlpcheckError ? placedIn(e, file) : e;
  }
}
