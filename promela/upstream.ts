/**
 * The upstream spec model in Promela, for Spin: an independent engine that
 * must count the same spec-level states as `klpcheck explore` (issue 11), and
 * that users can run with Spin's own multi-core and swarm modes.
 *
 * What is written here again, in Promela, from the rule (not generated from
 * klpcheck's spec model): upstream's load verdict (a replace patch replaces
 * every patch on klp_patches; a cumulative patch must carry every live state
 * at no lower version, no patch may lower a version it carries; facts B.1,
 * C.2, Documentation/livepatch/system-state.rst), the consistency model's
 * transition (facts B.2: tasks switch unless they sleep in a covered function
 * running the code they would leave; the "with"/"without" views), reverse,
 * force, module load and removal. What is shared with klpcheck, as tables:
 * the patch definitions a new patch may have (harness/explore/candidates.ts,
 * its symmetry reduction over patches, functions and state ids) and the
 * operations the explorer tries, with the same filters (explore.ts pointless,
 * harness/ops.ts applicable). Tasks are interchangeable: after every step the
 * task columns are sorted, as the explorer's state key sorts them.
 *
 * The state vector holds exactly the explorer's spec-level key
 * (harness/explore/state-key.ts): patch definitions, loaded patches in load
 * order with their flags, klp_patches, the transition with its target and
 * replaced list, the target module, the task columns. Every step is one
 * d_step (a new patch's: its definition picked inside atomic, then one
 * d_step), so Spin stores only states between operations; scratch variables
 * are `hidden` (outside the state vector).
 */
import type { PatchDef } from '../model/kernel/definitions.ts';
import { upstream } from '../model/semantics/upstream.ts';
import { newPatchDefs, usedSoFar } from '../harness/explore/candidates.ts';
import type { ExploreScope } from '../harness/explore/scope.ts';
import { KlpcheckError } from '../harness/errors.ts';
import { KLPCHECK_VERSION } from '../harness/versions.ts';

/** The definitions' facts the model needs: functions (bit i: vmlinux f(i+1), bit F: mod:m1), state versions, replace. */
interface DefRow {
  readonly funcs: number;
  readonly versions: readonly number[];
  readonly replace: boolean;
}

function row(d: PatchDef, scope: ExploreScope): DefRow {
  let funcs = 0;
  for (const o of d.objects ?? []) {
    for (const f of o.funcs ?? []) funcs |= o.name === 'vmlinux' ? 1 << (Number(f.old_name!.slice(1)) - 1) : 1 << scope.functions;
  }
  const versions = Array.from({ length: scope.states + 1 }, (_, id) => (d.states ?? []).find((s) => s.id === id)?.version ?? 0);
  return { funcs, versions, replace: Boolean(d.attrs?.replace) };
}

/** The tree of definition choices folded into classes: a class is the list of definitions the next patch may have. */
function defTables(scope: ExploreScope) {
  const rows: DefRow[] = [];
  const rowIds = new Map<string, number>();
  const classes: { cands: number[]; next: number[]; blockMax: number }[] = [];
  const classIds = new Map<string, number>();
  // The next patch's definitions depend only on how many patches are known and which functions and state ids
  // they use (newPatchDefs): each such choice is built once, not once per node of the tree (a million nodes at
  // patches=4,functions=4,states=3). candsIds numbers the distinct candidate lists for the class key.
  const choices = new Map<string, { defs: PatchDef[]; cands: number[]; candsId: number }>();
  const candsIds = new Map<string, number>();
  const visit = (known: PatchDef[]): number => {
    const u = usedSoFar(known);
    const choice = `${known.length},${u.funcs},${u.states}`;
    let c0 = choices.get(choice);
    if (!c0) {
      const defs = known.length < scope.patches ? newPatchDefs(upstream, scope, known, new Set()) : [];
      const cands = defs.map((d) => {
        const r = row(d, scope);
        const key = JSON.stringify(r);
        if (!rowIds.has(key)) rowIds.set(key, rows.push(r) - 1);
        return rowIds.get(key)!;
      });
      const candsKey = cands.join(',');
      if (!candsIds.has(candsKey)) candsIds.set(candsKey, candsIds.size);
      c0 = { defs, cands, candsId: candsIds.get(candsKey)! };
      choices.set(choice, c0);
    }
    const blockMax = Math.min(scope.functions, u.funcs + 1);
    const id = `${known.length}|${c0.candsId}|${blockMax}|${known.map((d) => (d.states ?? []).length).join(',')}`;
    const seen = classIds.get(id);
    if (seen !== undefined) return seen;
    const c = { cands: c0.cands, next: [] as number[], blockMax };
    const index = classes.push(c) - 1;
    classIds.set(id, index);
    c.next = c0.defs.map((d) => visit([...known, d]));
    return index;
  };
  visit([]);
  return { rows, classes };
}

/**
 * The narrowest Promela integer type that holds 0..max, with its C name in
 * pan.c: a class or row id past 255 in a `byte` wraps, and the model then
 * silently explores another space (patches=4,functions=3,states=2 has 361
 * classes; patches=4,functions=4,states=2 has 270 rows).
 */
export function promelaType(max: number): { readonly promela: 'byte' | 'short' | 'int'; readonly c: string } {
  if (max <= 255) return { promela: 'byte', c: 'uchar' };
  if (max <= 32767) return { promela: 'short', c: 'short' };
  return { promela: 'int', c: 'int' };
}

/**
 * Spin's limit on one c_code block: its lexer copies the text into a buffer
 * of 65,536 characters (SOMETHINGBIG in spin.h) and stops with "inline text
 * too long" past it. Blocks are kept well under it.
 */
const C_CODE_CHARS = 60_000;

/**
 * Spin's limit on one d_step: 2,048 jump targets (MAXDSTEP in pangen2.c),
 * about one a statement; 1,819 c_code blocks passed and 3,236 did not. init's
 * d_step holds a block per table slice.
 */
const D_STEP_BLOCKS = 2_000;

/**
 * A constant table: hidden (outside the state vector), filled by init's
 * first step from C initializers, one c_code block per slice. Spin refuses a
 * d_step of more than a few thousand statements ("d_step sequence too long",
 * from patches=2,functions=3,states=2), so the values are not Promela
 * assignments; one block could not hold a large table (C_CODE_CHARS).
 */
const arr = (name: string, values: readonly (number | boolean)[], blockChars = C_CODE_CHARS) => {
  const nums = values.length ? values.map(Number) : [0];
  const type = promelaType(nums.reduce((a, b) => Math.max(a, b)));
  const fills: string[] = [];
  let lines: string[] = [];
  let chars = 0;
  let start = 0;
  const flush = (end: number) => {
    const v = `${name}_v${fills.length}`;
    fills.push(
      `    c_code {\n      static const ${type.c} ${v}[${end - start}] = {\n${lines.join(',\n')}\n      };\n` +
        `      memcpy(${name} + ${start}, ${v}, sizeof ${v});\n    }`,
    );
    lines = [];
    chars = 0;
    start = end;
  };
  for (let i = 0; i < nums.length; i += 24) {
    const line = `        ${nums.slice(i, i + 24).join(', ')}`;
    // Room for the declaration and the memcpy around the values.
    if (lines.length && chars + line.length + 200 > blockChars) flush(i);
    lines.push(line);
    chars += line.length + 2;
  }
  flush(nums.length);
  return { decl: `hidden ${type.promela} ${name}[${nums.length}];`, fills };
};

/**
 * The Promela model of upstream at `scope` (its depth is ignored: Spin
 * explores the whole space). `cCodeChars` bounds each c_code block that fills
 * a table (default C_CODE_CHARS); a test makes it small, so that a small
 * scope's tables span several blocks and Spin still counts the same states.
 */
export function upstreamPromela(scope: ExploreScope, cCodeChars = C_CODE_CHARS): string {
  const P = scope.patches;
  const F = scope.functions;
  const S = scope.states;
  const T = scope.tasks;
  const scopeText = `patches=${P},functions=${F},states=${S},tasks=${T}`;
  const { rows, classes } = defTables(scope);
  const maxC = Math.max(1, ...classes.map((c) => c.cands.length));
  const MOD = F + 1; // the function index of mod:m1 in the key (1-based: 0 = not blocked)
  const columns: readonly [string, readonly (number | boolean)[]][] = [
    ['dfuncs', rows.map((r) => r.funcs)],
    ['dver', rows.flatMap((r) => r.versions)],
    ['drep', rows.map((r) => r.replace)],
    ['ncand', classes.map((c) => c.cands.length)],
    ['cand', classes.flatMap((c) => Array.from({ length: maxC }, (_, j) => c.cands[j] ?? 0))],
    ['cnext', classes.flatMap((c) => Array.from({ length: maxC }, (_, j) => c.next[j] ?? 0))],
    ['blockmax', classes.map((c) => c.blockMax)],
  ];
  const tables = columns.map(([name, values]) => arr(name, values, cCodeChars));
  const blocks = tables.reduce((n, t) => n + t.fills.length, 0);
  if (blocks > D_STEP_BLOCKS)
    throw new KlpcheckError(
      'E_USAGE',
      `promela: at ${scopeText} the definition tables (${classes.length} classes of up to ${maxC} definitions) ` +
        `need ${blocks} c_code blocks in one d_step, and Spin takes about ${D_STEP_BLOCKS}: use fewer patches, functions or state ids`,
    );
  const alts: string[] = [];
  // One alternative picks the next patch's definition: the pick runs inside atomic, whose inner states Spin does not
  // store, so the count is that of one d_step per definition, without a copy of insmod and canon for each (810 at
  // patches=4,functions=4,states=3, which Spin and cc then took many minutes over).
  alts.push(`  :: atomic { nk < ${P} -> select(pick : 0 .. ncand[cls] - 1); skip; d_step { newpatch(pick); canon(); skip } }`);
  for (let k = 1; k <= P; k++) {
    alts.push(`  :: d_step { ${k} <= nk && !ld[${k}] -> insmod(${k}); canon() }`);
    alts.push(`  :: d_step { ld[${k}] -> rmmod(${k}) }`);
    alts.push(`  :: d_step { reg[${k}] -> write_enabled(${k}, 0); canon() }`);
    alts.push(`  :: d_step { reg[${k}] -> write_enabled(${k}, 1); canon() }`);
    alts.push(`  :: d_step { reg[${k}] -> force(${k}); canon() }`);
  }
  alts.push(`  :: d_step { !modld -> modld = 1 }`);
  alts.push(`  :: d_step { modld && !blocked_in_mod -> modld = 0 }`);
  alts.push(`  :: d_step { tp != 0 -> try_complete(); canon() }`);
  for (let i = 0; i < T; i++) {
    for (let f = 1; f <= F; f++) alts.push(`  :: d_step { tf[${i}] == 0 && ${f} <= blockmax[cls] -> block(${i}, ${f}); canon() }`);
    alts.push(`  :: d_step { tf[${i}] == 0 && modld -> block(${i}, ${MOD}); canon() }`);
    alts.push(`  :: d_step { tf[${i}] != 0 -> tf[${i}] = 0; tc[${i}] = 0; canon() }`);
    alts.push(`  :: d_step { tf[${i}] == 0 && tp != 0 && ts[${i}] != IDLE -> ts[${i}] = TGT; canon() }`);
  }
  // A d_step must not end in a loop (its break would jump out of the d_step): each ends with skip.
  const steps = alts.map((a) => a.replace(/ \}$/, '; skip }'));
  return `/*
 * GENERATED by \`klpcheck promela --scope ${scopeText}\` (klpcheck ${KLPCHECK_VERSION}); do not edit.
 * The upstream livepatch replace semantics at the spec level (promela/upstream.ts says
 * what is written from the rule and what is shared with klpcheck as tables).
 * Run: spin -a upstream.pml && cc -O2 -DNOREDUCE -o pan pan.c && ./pan -m1000000
 * Where upstream never breaks conformance (one patch), "states, stored" is klpcheck explore's
 * spec-level count for this scope at depth=any plus one (the state before init fills the tables);
 * past a break explore counts only the states before it, so fewer.
 * The definition tables are filled by c_code, which only pan runs: Spin's own random simulation
 * leaves them empty (it warns so); replay a trail with ./pan -r.
 */
#define P ${P}
#define T ${T}
#define S ${S}
#define IDLE 0
#define UNPATCHED 1
#define PATCHED 2
#define MODBIT ${1 << F}

${tables.map((t) => t.decl).join('\n')}

/* The state: exactly the explorer's spec-level key. */
byte nk;            /* patches defined so far (p1..p<nk>) */
${promelaType(rows.length - 1).promela} pdef[P + 1];   /* definition row of each defined patch */
${promelaType(classes.length - 1).promela} cls;           /* class of the definitions so far (a function of pdef) */
byte nl;            /* loaded livepatch modules, in load order */
byte lo[P];
bool ld[P + 1];     /* loaded (a function of lo) */
bool reg[P + 1];    /* registered: sysfs directory exists */
bool en[P + 1];
bool frc[P + 1];
byte nklp;          /* klp_patches, in list order */
byte klp[P];
byte tp;            /* transition patch, 0 = none */
bool tgt;           /* target: 1 patched, 0 unpatched */
byte nrep;          /* patches the transition replaces, in klp_patches order */
byte rep[P];
bool modld;         /* the target module is loaded */
byte ts[T];         /* task transition state */
byte tf[T];         /* function a task sleeps in: 0 none, 1..F vmlinux f<i>, F+1 mod:m1 */
byte tc[T];         /* code it sleeps in: 0 original, 1 + k patch p<k> */

hidden byte i, j, r, x, y, res;
hidden ${promelaType(maxC).promela} pick;
hidden byte ok, found, complete;

/* Whether patch k patches function f (1-based, as tf). */
#define patches(k, f) ((dfuncs[pdef[k]] >> ((f) - 1)) & 1)

/* The newest patch of klp_patches patching f, skipping skip1 and (with rep) the replaced ones; 0 = original. */
inline newest(f, skip1, skiprep) {
  res = 0;
  i = 0;
  do
  :: i < nklp ->
     x = klp[i];
     found = (x == skip1);
     if
     :: skiprep -> j = 0; do :: j < nrep -> if :: rep[j] == x -> found = 1 :: else fi; j++ :: else -> break od
     :: else
     fi;
     if :: !found && patches(x, f) -> res = x :: else fi;
     i++
  :: else -> break
  od
}

/* Which code task t runs in f: its view is klp_patches, "with" the transition patch or "without" it. */
inline version(t, f) {
  if
  :: tp == 0 || ts[t] == IDLE -> newest(f, 0, 0)
  :: ts[t] == PATCHED -> newest(f, 0, 1)
  :: else -> newest(f, tp, 0)
  fi
}

inline block(t, f) {
  version(t, f);
  tf[t] = f;
  tc[t] = (res == 0 -> 0 : 1 + res)
}

#define blocked_in_mod (tf[0] == ${MOD}${Array.from({ length: T - 1 }, (_, t) => ` || tf[${t + 1}] == ${MOD}`).join('')})
#define TGT (tgt -> PATCHED : UNPATCHED)

/* The consistency model's stack check (facts B.2) for task t; sets ok = 1 when it may switch. */
inline may_switch(t) {
  ok = 1;
  if
  :: tf[t] != 0 ->
     found = patches(tp, tf[t]);
     j = 0;
     do :: j < nrep -> if :: patches(rep[j], tf[t]) -> found = 1 :: else fi; j++ :: else -> break od;
     if
     :: found && tgt -> newest(tf[t], tp, 0); ok = (tc[t] != (res == 0 -> 0 : 1 + res))
     :: found && !tgt -> ok = (tc[t] != (patches(tp, tf[t]) -> 1 + tp : 0))
     :: else
     fi
  :: else
  fi
}

inline remove_klp(k) {
  j = 0; y = 0;
  do
  :: j < nklp -> if :: klp[j] != k -> klp[y] = klp[j]; y++ :: else fi; j++
  :: else -> break
  od;
  nklp = y;
  do :: y < P -> klp[y] = 0; y++ :: else -> break od
}

/* klp_try_complete_transition: every task switches unless one may not; then the old patches go. */
inline try_complete() {
  complete = 1; r = 0;
  do
  :: r < T ->
     if
     :: ts[r] != TGT ->
        may_switch(r);
        if :: ok -> ts[r] = TGT :: else -> complete = 0 fi
     :: else
     fi;
     r++
  :: else -> break
  od;
  if
  :: complete ->
     if
     :: tgt -> r = 0; do :: r < nrep -> en[rep[r]] = 0; reg[rep[r]] = 0; remove_klp(rep[r]); r++ :: else -> break od
     :: else -> en[tp] = 0; reg[tp] = 0; remove_klp(tp)
     fi;
     r = 0; do :: r < T -> ts[r] = IDLE; r++ :: else -> break od;
     tp = 0; tgt = 0;
     r = 0; do :: r < P -> rep[r] = 0; r++ :: else -> break od;
     nrep = 0
  :: else
  fi
}

inline start(k, target) {
  tp = k; tgt = target;
  r = 0; do :: r < T -> ts[r] = (target -> UNPATCHED : PATCHED); r++ :: else -> break od
}

/* Upstream's load verdict: ok = 0 refuses (-EINVAL). */
inline load_ok(k) {
  ok = 1; r = 0;
  do
  :: r < nklp ->
     x = 1;
     do
     :: x <= S ->
        if
        :: dver[pdef[klp[r]] * (S + 1) + x] != 0 ->
           if
           :: dver[pdef[k] * (S + 1) + x] == 0 && drep[pdef[k]] -> ok = 0
           :: dver[pdef[k] * (S + 1) + x] != 0 && dver[pdef[k] * (S + 1) + x] < dver[pdef[klp[r]] * (S + 1) + x] -> ok = 0
           :: else
           fi
        :: else
        fi;
        x++
     :: else -> break
     od;
     r++
  :: else -> break
  od
}

inline insmod(k) {
  load_ok(k);
  if
  :: ok && tp == 0 ->
     lo[nl] = k; nl++; ld[k] = 1;
     reg[k] = 1; en[k] = 1; frc[k] = 0;
     if
     :: drep[pdef[k]] -> nrep = nklp; r = 0; do :: r < nklp -> rep[r] = klp[r]; r++ :: else -> break od
     :: else
     fi;
     klp[nklp] = k; nklp++;
     start(k, 1);
     try_complete()
  :: else /* -EINVAL or -EBUSY: nothing changes */
  fi
}

inline newpatch(c) {
  nk++;
  pdef[nk] = cand[cls * ${maxC} + c];
  cls = cnext[cls * ${maxC} + c];
  insmod(nk)
}

/* rmmod: -EBUSY while registered or forced (a forced patch's module stays) */
inline rmmod(k) {
  if
  :: !reg[k] && !frc[k] ->
     j = 0; y = 0;
     do
     :: j < nl -> if :: lo[j] != k -> lo[y] = lo[j]; y++ :: else fi; j++
     :: else -> break
     od;
     nl = y; lo[y] = 0; ld[k] = 0; en[k] = 0
  :: else
  fi
}

inline write_enabled(k, enable) {
  if
  :: en[k] == enable -> skip /* -EINVAL */
  :: en[k] != enable && tp == k -> tgt = !tgt; en[k] = !en[k] /* reverse */
  :: en[k] != enable && tp != k && !enable && tp == 0 -> en[k] = 0; start(k, 0); try_complete()
  :: else -> skip /* -EINVAL (enable a registered, enabled-less patch) or -EBUSY */
  fi
}

inline force(k) {
  if
  :: tp == k ->
     r = 0; do :: r < T -> ts[r] = TGT; r++ :: else -> break od;
     if
     :: !tgt -> frc[k] = 1
     :: else -> r = 0; do :: r < nrep -> frc[rep[r]] = 1; r++ :: else -> break od
     fi
  :: else
  fi
}

/* Tasks are interchangeable: sort their columns (state, function, code), as the explorer's key does. */
inline canon() {
  r = 0;
  do
  :: r < T ->
     j = 0;
     do
     :: j + 1 < T - r ->
        if
        :: ts[j] > ts[j + 1] || (ts[j] == ts[j + 1] && (tf[j] > tf[j + 1] || (tf[j] == tf[j + 1] && tc[j] > tc[j + 1]))) ->
           x = ts[j]; ts[j] = ts[j + 1]; ts[j + 1] = x;
           x = tf[j]; tf[j] = tf[j + 1]; tf[j + 1] = x;
           x = tc[j]; tc[j] = tc[j + 1]; tc[j + 1] = x
        :: else
        fi;
        j++
     :: else -> break
     od;
     r++
  :: else -> break
  od
}

init {
  d_step {
${tables.flatMap((t) => t.fills).join(';\n')}
  }
  do
${steps.join('\n')}
  od
}
`;
}
