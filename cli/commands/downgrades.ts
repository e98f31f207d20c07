/** `klpcheck downgrades`: what stops an older release from taking back a newer one's fixes (issue 12, §3). */
import { downgradeRow } from '../../harness/downgrades.ts';
import { SEMANTICS } from '../../model/semantics/registry.ts';
import { downgradesMarkdown, downgradesText } from '../../report/downgrades.ts';
import type { Command } from '../command.ts';
import { EXIT, soExit1 } from '../exit.ts';
import { selectedSemantics } from '../selection.ts';
import { plural } from '../../harness/plural.ts';

export const downgrades: Command = {
  name: 'downgrades',
  summary: 'per semantics, which mechanism stops klp-3a from loading after klp-5a',
  operands: '',
  description: [
    "Runs Petr Mladek's downgrade (klp-3a loaded after klp-5a, seed 001) in four",
    'variants (scenarios/threads/petr-downgrade-5a-3a*.json): no states, a raised state',
    'version, a state klp-5a introduced, and that state with block_disable. Each opts in',
    'to no-silent-downgrade. Prints per semantics what happened to klp-3a in each and the',
    'mechanisms that stop the downgrade (nothing, when none does). Exits 1 when a',
    'semantics lets klp-3a downgrade (a finding, not an error; stderr says so).',
  ],
  options: {
    semantics: { type: 'string', arg: 'A,B', help: `semantics (default: all ${SEMANTICS.length})` },
    markdown: { type: 'boolean', help: 'print a markdown table' },
  },
  examples: ['npx klpcheck downgrades', 'npx klpcheck downgrades --semantics upstream,per-state --markdown'],
  async run({ values }, io) {
    const sems = selectedSemantics(values.semantics);
    const rows = sems.map((s) => downgradeRow(s));
    io.stdout(values.markdown ? downgradesMarkdown(rows) : downgradesText(rows));
    const downgrading = rows.filter((r) => r.outcomes.some((o) => o.downgraded)).length;
    // Exit 1 is the finding, as compare's: said where a shell user reading $? looks (stop 36's nit).
    if (downgrading)
      io.stderr(
        `klpcheck downgrades: ${downgrading} of ${plural(rows.length, 'semantics', 'semantics')} let klp-3a downgrade${soExit1(io)}\n`,
      );
    return downgrading ? EXIT.failed : EXIT.ok;
  },
};
