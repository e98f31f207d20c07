/**
 * test_klp_shadow_vars: a plain module that runs the shadow variable API in
 * its init and prints each call with its pointers anonymised as PTRn (facts
 * E.4, C.1). Its calls are fixed by the selftest, not described by the
 * universe (which lists only the module's name), so they are data here,
 * written from facts E.4 in the order test-shadow-vars.sh expects them; the
 * reference implementation prints the same lines from the scenario's steps
 * (harness/scenario/shadow-module.ts).
 *
 * Pointer numbering: NULL is PTR0; a pointer gets the next number the first
 * time it is printed, arguments left to right; a ctor_data target is numbered
 * just before the call that passes it; shadow_ctor stores ctor_data in the new
 * variable, which is what "got expected PTRa -> PTRb" compares.
 */
import { banner, cString, type BannerInfo } from './c.ts';

const ID1 = 0x1234;
const ID2 = 0x1235;

/** obj is 1..3 (three distinct objects); a variable is one of the nfields arrays' elements. */
type Var = readonly ['nfields1' | 'nfields2', number];
type Call =
  | { readonly op: 'get'; readonly obj: number; readonly id: number; readonly expect: Var | null }
  | { readonly op: 'alloc' | 'get_or_alloc'; readonly obj: number; readonly id: number; readonly data: Var; readonly expect?: Var }
  | { readonly op: 'free'; readonly obj: number; readonly id: number }
  | { readonly op: 'free_all'; readonly id: number };

const OBJS = [1, 2, 3] as const;
const n1 = (i: number): Var => ['nfields1', i];
const n2 = (i: number): Var => ['nfields2', i];

/** The sequence of facts E.4, steps 1 to 7. */
export const SHADOW_CALLS: readonly Call[] = [
  { op: 'get', obj: 1, id: ID1, expect: null },
  ...OBJS.flatMap((o, i): Call[] => [
    { op: o === 2 ? 'alloc' : 'get_or_alloc', obj: o, id: ID1, data: n1(i) },
    { op: 'alloc', obj: o, id: ID2, data: n2(i) },
  ]),
  ...OBJS.flatMap((o, i): Call[] => [
    { op: 'get', obj: o, id: ID1, expect: n1(i) },
    { op: 'get', obj: o, id: ID2, expect: n2(i) },
  ]),
  ...OBJS.map((o, i): Call => ({ op: 'get_or_alloc', obj: o, id: ID1, data: n1(i), expect: n1(i) })),
  ...OBJS.flatMap((o): Call[] => [
    { op: 'free', obj: o, id: ID1 },
    { op: 'get', obj: o, id: ID1, expect: null },
  ]),
  ...OBJS.map((o, i): Call => ({ op: 'get', obj: o, id: ID2, expect: n2(i) })),
  { op: 'free_all', id: ID2 },
  ...OBJS.map((o): Call => ({ op: 'get', obj: o, id: ID2, expect: null })),
];

const obj = (o: number) => `&klpcheck_obj[${o - 1}]`;
const v = (x: Var) => `&${x[0]}[${x[1]}]`;
const hex = (id: number) => `0x${id.toString(16)}`;

function expectCode(expect: Var | null | undefined): string {
  if (expect === undefined) return '';
  if (expect === null) return '\tklpcheck_expect_null(ret);\n';
  return `\tklpcheck_expect(ret, ${v(expect)});\n`;
}

function callCode(c: Call): string {
  switch (c.op) {
    case 'get':
      return `\tret = klp_shadow_get(${obj(c.obj)}, ${hex(c.id)});
	a = ptr_id(${obj(c.obj)});
	b = ptr_id(ret);
	pr_info("klp_shadow_get(obj=PTR%d, id=0x%lx) = PTR%d\\n", a, ${hex(c.id)}UL, b);
${expectCode(c.expect)}`;
    case 'alloc':
    case 'get_or_alloc':
      return `\tptr_id(${v(c.data)});
	ret = klp_shadow_${c.op}(${obj(c.obj)}, ${hex(c.id)}, sizeof(void *), GFP_KERNEL, shadow_ctor, ${v(c.data)});
	a = ptr_id(${obj(c.obj)});
	b = ptr_id((const void *)shadow_ctor);
	d = ptr_id(${v(c.data)});
	r = ptr_id(ret);
	pr_info("klp_shadow_${c.op}(obj=PTR%d, id=0x%lx, size=%zu, gfp_flags=%s), ctor=PTR%d, ctor_data=PTR%d = PTR%d\\n",
		a, ${hex(c.id)}UL, sizeof(void *), "GFP_KERNEL", b, d, r);
${expectCode(c.expect)}`;
    case 'free':
      return `\tklp_shadow_free(${obj(c.obj)}, ${hex(c.id)}, shadow_dtor);
	a = ptr_id(${obj(c.obj)});
	b = ptr_id((const void *)shadow_dtor);
	pr_info("klp_shadow_free(obj=PTR%d, id=0x%lx, dtor=PTR%d)\\n", a, ${hex(c.id)}UL, b);
`;
    case 'free_all':
      return `\tklp_shadow_free_all(${hex(c.id)}, NULL);
	pr_info("klp_shadow_free_all(id=0x%lx, dtor=PTR%d)\\n", ${hex(c.id)}UL, ptr_id(NULL));
`;
  }
}

/** The C file of test_klp_shadow_vars under `name`. */
export function shadowVarsSource(info: BannerInfo, name: string): string {
  return `${banner(info, `Shadow variable API module ${name} (facts E.4).`)}
#define pr_fmt(fmt) ${cString(`${name}: `)} fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

#define KLPCHECK_MAX_PTRS 32
static const void *klpcheck_ptrs[KLPCHECK_MAX_PTRS];
static int klpcheck_nptrs;

/* PTRn: a pointer's number, given the first time it is printed (NULL is registered first). */
static int ptr_id(const void *p)
{
	int i;

	for (i = 0; i < klpcheck_nptrs; i++) {
		if (klpcheck_ptrs[i] == p)
			return i;
	}
	if (klpcheck_nptrs == KLPCHECK_MAX_PTRS)
		return -1;
	klpcheck_ptrs[klpcheck_nptrs] = p;
	return klpcheck_nptrs++;
}

static int klpcheck_obj[3];
static int nfields1[3];
static int nfields2[3];

/* Stores ctor_data in the new variable. */
static int shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	int a = ptr_id(shadow_data);
	int b = ptr_id(ctor_data);

	pr_info("shadow_ctor: PTR%d -> PTR%d\\n", a, b);
	*(void **)shadow_data = ctor_data;
	return 0;
}

static void shadow_dtor(void *obj, void *shadow_data)
{
	int a = ptr_id(obj);
	int b = ptr_id(shadow_data);

	pr_info("shadow_dtor(obj=PTR%d, shadow_data=PTR%d)\\n", a, b);
}

static void klpcheck_expect_null(void *ret)
{
	if (!ret)
		pr_info("  got expected NULL result\\n");
	else
		pr_err("  got unexpected PTR%d result\\n", ptr_id(ret));
}

static void klpcheck_expect(void *ret, void *want)
{
	int a, b;

	if (!ret || *(void **)ret != want) {
		pr_err("  got unexpected result\\n");
		return;
	}
	a = ptr_id(ret);
	b = ptr_id(want);
	pr_info("  got expected PTR%d -> PTR%d result\\n", a, b);
}

static int __init klpcheck_shadow_init(void)
{
	void *ret;
	int a, b, d, r;

	ptr_id(NULL);
${SHADOW_CALLS.map(callCode).join('')}	return 0;
}

static void __exit klpcheck_shadow_exit(void)
{
	klp_shadow_free_all(${hex(ID1)}, NULL);
	klp_shadow_free_all(${hex(ID2)}, NULL);
}

module_init(klpcheck_shadow_init);
module_exit(klpcheck_shadow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpcheck: shadow variable API test module");
`;
}
