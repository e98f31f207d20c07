/** `klpcheck render FILE --format F [--out FILE]`: one counterexample as mail text, markdown, a timeline or a selftest. */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readCounterexample } from '../../harness/counterexample.ts';
import { KlpcheckError } from '../../harness/errors.ts';
import { contextFor } from '../../report/context.ts';
import { FORMATS, RENDERERS, type Format } from '../../report/index.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit.ts';

function formatOption(value: string | boolean | undefined): Format {
  if (value === undefined || typeof value === 'boolean') return 'text';
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new KlpcheckError('E_USAGE', `unknown format '${value}' (formats: ${FORMATS.join(', ')}); see 'klpcheck render --help'`);
  }
  return value as Format;
}

/**
 * Writes through a temporary file and a rename, so that a reader never sees
 * half a file; an existing file with other content is kept unless `force`.
 */
export function writeAtomically(file: string, text: string, force: boolean): 'written' | 'unchanged' {
  let old: string | undefined;
  try {
    old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch (e) {
    throw new KlpcheckError('E_IO', `cannot read the existing file: ${(e as Error).message}`, file);
  }
  if (old === text) return 'unchanged';
  if (old !== undefined && !force) throw new KlpcheckError('E_CONFLICT', 'exists with other content; not overwritten (use --force)', file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new KlpcheckError('E_IO', `cannot write: ${(e as Error).message}`, file);
  }
  return 'written';
}

export const render: Command = {
  name: 'render',
  summary: 'turn a counterexample into mail text, markdown, an HTML or SVG timeline, or a selftest',
  operands: 'FILE',
  description: [
    'Renders one saved counterexample (counterexamples/<semantics>/*.json):',
    '  text      plain ASCII, at most 72 columns, to paste into a mailing-list reply',
    '  markdown  the same with tables and a mermaid sequence diagram',
    '  html      one self-contained page: the timeline picture and the text',
    '  svg       the timeline alone: a lane per slot, a bar per patch',
    '  selftest  a draft tools/testing/selftests/livepatch script with the',
    '            kernel log the reference implementation expects',
    'The output is byte-stable: the same file renders to the same bytes.',
    'Without --out it goes to stdout; --out writes through a temporary file',
    'and never replaces a file with other content unless --force.',
  ],
  options: {
    format: { type: 'string', short: 'f', arg: 'FORMAT', help: `one of ${FORMATS.join(', ')} (default text)` },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE instead of stdout' },
    force: { type: 'boolean', help: 'with --out, replace a file that has other content' },
  },
  examples: [
    'klpcheck render counterexamples/upstream/no-function-shared-across-slots-cc69c926f5cf.json',
    'klpcheck render --format html --out cx.html counterexamples/per-state/callback-pairing-09ade83fa3b3.json',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      throw new KlpcheckError('E_USAGE', `render takes one counterexample FILE, not ${positionals.length}; see 'klpcheck render --help'`);
    }
    const format = formatOption(values.format);
    const out = values.out as string | undefined;
    if (values.force && out === undefined) throw new KlpcheckError('E_USAGE', "--force goes with --out; see 'klpcheck render --help'");
    const c = readCounterexample(positionals[0]!);
    const text = RENDERERS[format](c, contextFor(c));
    if (out === undefined) {
      io.stdout(text);
      return EXIT.ok;
    }
    const status = writeAtomically(out, text, values.force === true);
    io.stderr(`klpcheck render: ${status === 'written' ? 'wrote' : 'unchanged'} ${out}\n`);
    return EXIT.ok;
  },
};
