/**
 * The bad-input corpus: every file of test/bad-inputs/ is one KIND of bad
 * input (a lenient number, a missing file, a hand-edited counterexample, a
 * flag that conflicts ...), with cases over every command that reads a file
 * or takes arguments. Each case builds its files in a fresh folder, runs the
 * command line in-process, and checks
 * - the exit code (2 for bad input, unless the case says otherwise);
 * - stderr is one line matching the case's pattern (no stack trace, no raw
 *   control character), and stdout is empty: nothing is reported before the
 *   input is known to be good;
 * - no file was created or changed in the folder or in the repository's
 *   counterexamples/ and verdicts/, and no *.tmp is left anywhere.
 *
 * A case's `files` maps a name below the folder to its content:
 *   "text"                         written as is
 *   { "json": V }                  V as JSON
 *   { "base64": "..." }            raw bytes
 *   { "symlink": "target" }        a symbolic link
 *   { "dir": true }                an empty folder
 *   { "fifo": true }               a named pipe (mkfifo)
 *   { "scenario": true, "edit"? }  the basic scenario of test/support/cli-run.ts
 *   { "corpus": SEMANTICS, "op"?: OP, "edit"?, "rename"? }
 *       a copy of the first saved counterexample of SEMANTICS (with an OP
 *       among its steps), under its own file name unless renamed; {op} in
 *       an edit's pointer is the index of the first OP step
 *   { "copy": PATH }               a copy of a repository file
 * `edit` is a list of [JSON pointer, value] (value null deletes). In `argv`,
 * {dir} is the folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_HELP } from '../cli/exit.ts';
import { COUNTEREXAMPLES, EXPECTED, ROOT } from '../cli/paths.ts';
import { ERROR_CODES } from '../harness/errors.ts';
import { basicScenario, run, TempDir } from './support/cli-run.ts';

type FileSpec =
  | string
  | { json: unknown }
  | { base64: string }
  | { symlink: string }
  | { dir: true }
  | { fifo: true }
  | { scenario: true; edit?: Edit[] }
  | { corpus: string; op?: string; edit?: Edit[]; rename?: string }
  | { copy: string };
type Edit = [string, unknown];

interface Case {
  readonly name: string;
  readonly files?: Record<string, FileSpec>;
  readonly argv: string[];
  readonly code?: number;
  /** A regular expression the one stderr line must match. */
  readonly stderr?: string;
  /** For inputs that must be skipped, not refused: a pattern of stdout. */
  readonly stdout?: string;
}

interface Kind {
  readonly kind: string;
  readonly about: string;
  readonly cases: readonly Case[];
}

const DIR = join(ROOT, 'test', 'bad-inputs');
export const KINDS: readonly Kind[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Kind);

function setAt(doc: unknown, ptr: string, value: unknown): void {
  const tokens = ptr
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop()!;
  let at = doc as Record<string, unknown>;
  for (const t of tokens) at = at[t] as Record<string, unknown>;
  if (value === null) delete at[last];
  else at[last] = value;
}

function edited<T>(doc: T, edits: readonly Edit[] = []): T {
  const copy = structuredClone(doc);
  for (const [ptr, value] of edits) setAt(copy, ptr, value);
  return copy;
}

/** The first saved counterexample of `semantics` (sorted by name) with an `op` step, if asked. */
function fromCorpus(semantics: string, op?: string): { name: string; data: { steps: { op: { op: string } }[] } } {
  const folder = join(COUNTEREXAMPLES, semantics);
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { steps: { op: { op: string } }[] };
    if (op === undefined || data.steps.some((s) => s.op.op === op)) return { name, data };
  }
  throw new Error(`no saved counterexample of ${semantics} with a ${op} step`);
}

function build(dir: string, files: Record<string, FileSpec>): void {
  for (const [name, spec] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof spec === 'string') writeFileSync(path, spec);
    else if ('json' in spec) writeFileSync(path, `${JSON.stringify(spec.json, null, 2)}\n`);
    else if ('base64' in spec) writeFileSync(path, Buffer.from(spec.base64, 'base64'));
    else if ('symlink' in spec) symlinkSync(spec.symlink, path);
    else if ('dir' in spec) mkdirSync(path, { recursive: true });
    else if ('fifo' in spec) execFileSync('mkfifo', [path]);
    else if ('scenario' in spec) writeFileSync(path, `${JSON.stringify(edited(basicScenario(), spec.edit), null, 2)}\n`);
    else if ('copy' in spec) writeFileSync(path, readFileSync(join(ROOT, spec.copy)));
    else {
      const { name: own, data } = fromCorpus(spec.corpus, spec.op);
      // {op} in a pointer is the index of the first step with that op.
      const at = String(data.steps.findIndex((s) => s.op.op === spec.op));
      const edits = (spec.edit ?? []).map(([ptr, v]): Edit => [ptr.replace('{op}', at), v]);
      const target = join(dirname(path), spec.rename ?? own);
      writeFileSync(target, `${JSON.stringify(edited(data, edits), null, 2)}\n`);
    }
  }
}

/** Every entry below `dir` with its type and content hash: what a refused command must leave as it was. */
function snapshot(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.push(`${p} -> ${readlinkSync(p)}`);
      else if (st.isFIFO()) out.push(`${p} fifo`);
      else if (st.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out;
}

const repoState = () => [
  ...snapshot(COUNTEREXAMPLES),
  ...snapshot(dirname(EXPECTED)),
  // A file named '-' in the working folder: what `--out -` once wrote.
  ...readdirSync(ROOT).filter((f) => f.endsWith('.tmp') || f === '-'),
];

describe('the bad-input corpus (test/bad-inputs/)', () => {
  it('has kinds, each with cases', () => {
    expect(KINDS.length).toBeGreaterThanOrEqual(15);
    for (const k of KINDS) expect(k.cases.length, k.kind).toBeGreaterThan(0);
  });

  for (const k of KINDS) {
    describe(`${k.kind}: ${k.about}`, () => {
      it.each(k.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        const tmp = new TempDir();
        build(tmp.path, c.files ?? {});
        const before = snapshot(tmp.path);
        const repoBefore = repoState();
        const argv = c.argv.map((a) => a.replaceAll('{dir}', tmp.path));
        const r = await run(argv);
        const code = c.code ?? 2;
        expect(r.code, r.stderr).toBe(code);
        if (c.stderr !== undefined) {
          expect(r.stderr).toMatch(/^klpcheck: [^\n]*\n$/);
          expect(r.stderr).toMatch(new RegExp(c.stderr));
          // Escaped, never raw: no control character but the closing newline.
          expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        }
        if (c.stdout !== undefined) expect(r.stdout).toMatch(new RegExp(c.stdout));
        else expect(r.stdout).toBe('');
        expect(snapshot(tmp.path)).toEqual(before);
        expect(repoState()).toEqual(repoBefore);
      });
    });
  }
});

describe('the exit and error codes are documented', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1));

  it("in the README's Exit codes section: every exit code and every error code with its meaning", () => {
    for (const code of Object.values(EXIT)) expect(section).toMatch(new RegExp(`^\\| ${code} +\\|`, 'm'));
    for (const [code, meaning] of Object.entries(ERROR_CODES)) expect(section).toContain(`| \`${code}\` | ${meaning} |`);
  });

  it('in --help', async () => {
    const help = (await run(['--help'])).stdout;
    for (const code of Object.keys(ERROR_CODES)) expect(help).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    for (const line of EXIT_HELP) expect(help).toContain(line);
  });
});
