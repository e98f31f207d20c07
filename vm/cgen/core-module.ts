/**
 * The core module `klpcheck_core` and its header `klpcheck.h` (the contract's
 * guest side): block points that make a task sleep inside a function, in
 * whatever version is live, until it is released; and the /proc/klpcheck tree.
 *
 * Why it works (real-kernel.md, "How a generated universe became real"): a
 * process reading a function's /proc file is the task; asleep in the block
 * point, its stack holds that function, so the transition's stack check sees
 * it as the model's blocked task does. wait_event_killable sleeps
 * TASK_KILLABLE, which the transition's fake signal (a wake-up of
 * interruptible sleepers, facts B.2) does not wake.
 */
import { banner, type BannerInfo } from './c.ts';
import { CORE } from './plan.ts';

/** The longest key the core stores ("<object>:<func>,<n>"); longer keys never block. */
export const KEY_MAX = 192;

/** The shared header: the call context passed to every generated function, and the core's exports. */
export function coreHeader(info: BannerInfo): string {
  return `${banner(info, 'Shared declarations of the generated modules.')}
#ifndef KLPCHECK_H
#define KLPCHECK_H

#include <linux/proc_fs.h>

/*
 * How a generated function was called. NULL from a /proc/klpcheck/call read.
 * The busy work of a target module passes its wait as inside(), which every
 * version of the function runs after its output, so the worker sleeps in
 * whichever version is live (model/kernel/busy-work.ts).
 */
struct klpcheck_call {
	const char *context;
	void (*inside)(const struct klpcheck_call *call);
};

/* Every generated function, original or replacement, has this type. */
typedef const char *(*klpcheck_fn)(const struct klpcheck_call *call);

/* One file of /proc/klpcheck/call/<object>/: reading it calls fn. A table ends with { }. */
struct klpcheck_entry {
	const char *name;
	klpcheck_fn fn;
};

/* Sleeps in the caller's function if its key was armed; returns when released. */
void klpcheck_block_point(const char *key);
/* Wakes every sleeper whose key starts with prefix (a module going away). */
void klpcheck_release_prefix(const char *prefix);
/* /proc/klpcheck/call: each host module adds its object's directory here. */
struct proc_dir_entry *klpcheck_call_root(void);

#define KLPCHECK_KEY_MAX ${KEY_MAX}

#endif
`;
}

/** klpcheck_core.c. */
export function coreSource(info: BannerInfo): string {
  return `${banner(info, 'The block-point core module of the contract (vm/cgen/contract.ts).')}
#define pr_fmt(fmt) "${CORE}: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/proc_fs.h>
#include "klpcheck.h"

/* A key written to arm: the next caller of that function sleeps. */
struct armed_key {
	struct list_head node;
	char key[KLPCHECK_KEY_MAX];
};

/* A task asleep in a block point; lives on its own stack. */
struct sleeper {
	struct list_head node;
	char key[KLPCHECK_KEY_MAX];
	pid_t pid;
	bool released;
};

static LIST_HEAD(armed);
static LIST_HEAD(sleepers);
static DEFINE_SPINLOCK(lock);
static DECLARE_WAIT_QUEUE_HEAD(wake);
static struct proc_dir_entry *root_dir;
static struct proc_dir_entry *call_dir;

void klpcheck_block_point(const char *key)
{
	struct armed_key *a, *found = NULL;
	struct sleeper me;

	spin_lock(&lock);
	list_for_each_entry(a, &armed, node) {
		if (strcmp(a->key, key) == 0) {
			found = a;
			break;
		}
	}
	if (!found) {
		spin_unlock(&lock);
		return;
	}
	list_del(&found->node);
	strscpy(me.key, key, sizeof(me.key));
	me.pid = task_pid_nr(current);
	me.released = false;
	list_add_tail(&me.node, &sleepers);
	spin_unlock(&lock);
	kfree(found);

	/* Killable: the transition's fake signal does not wake it (facts B.2). */
	wait_event_killable(wake, READ_ONCE(me.released));

	spin_lock(&lock);
	list_del(&me.node);
	spin_unlock(&lock);
}
EXPORT_SYMBOL_GPL(klpcheck_block_point);

static void release_matching(const char *key, bool prefix)
{
	struct sleeper *s;
	size_t len = strlen(key);

	spin_lock(&lock);
	list_for_each_entry(s, &sleepers, node) {
		if (prefix ? strncmp(s->key, key, len) == 0 : strcmp(s->key, key) == 0)
			WRITE_ONCE(s->released, true);
	}
	spin_unlock(&lock);
	wake_up_all(&wake);
}

void klpcheck_release_prefix(const char *prefix)
{
	release_matching(prefix, true);
}
EXPORT_SYMBOL_GPL(klpcheck_release_prefix);

struct proc_dir_entry *klpcheck_call_root(void)
{
	return call_dir;
}
EXPORT_SYMBOL_GPL(klpcheck_call_root);

/* Copies one written line, without its newline, into key. */
static int read_key(const char __user *buf, size_t count, char *key)
{
	size_t len = min(count, (size_t)KLPCHECK_KEY_MAX - 1);

	if (copy_from_user(key, buf, len))
		return -EFAULT;
	key[len] = '\\0';
	key[strcspn(key, "\\n")] = '\\0';
	return key[0] ? 0 : -EINVAL;
}

static ssize_t arm_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct armed_key *a = kzalloc(sizeof(*a), GFP_KERNEL);
	int ret;

	if (!a)
		return -ENOMEM;
	ret = read_key(buf, count, a->key);
	if (ret) {
		kfree(a);
		return ret;
	}
	spin_lock(&lock);
	list_add_tail(&a->node, &armed);
	spin_unlock(&lock);
	return count;
}

static ssize_t release_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	char key[KLPCHECK_KEY_MAX];
	int ret = read_key(buf, count, key);

	if (ret)
		return ret;
	release_matching(key, false);
	return count;
}

static int sleeping_show(struct seq_file *m, void *v)
{
	struct sleeper *s;

	spin_lock(&lock);
	list_for_each_entry(s, &sleepers, node) {
		if (!s->released)
			seq_printf(m, "%s %d\\n", s->key, s->pid);
	}
	spin_unlock(&lock);
	return 0;
}

static const struct proc_ops arm_ops = {
	.proc_write = arm_write,
	.proc_lseek = noop_llseek,
};

static const struct proc_ops release_ops = {
	.proc_write = release_write,
	.proc_lseek = noop_llseek,
};

static int __init klpcheck_core_init(void)
{
	root_dir = proc_mkdir("klpcheck", NULL);
	if (!root_dir)
		return -ENOMEM;
	call_dir = proc_mkdir("call", root_dir);
	if (!call_dir ||
	    !proc_create("arm", 0200, root_dir, &arm_ops) ||
	    !proc_create("release", 0200, root_dir, &release_ops) ||
	    !proc_create_single("sleeping", 0444, root_dir, sleeping_show)) {
		proc_remove(root_dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit klpcheck_core_exit(void)
{
	struct armed_key *a, *tmp;

	release_matching("", true);
	proc_remove(root_dir);
	list_for_each_entry_safe(a, tmp, &armed, node) {
		list_del(&a->node);
		kfree(a);
	}
}

module_init(klpcheck_core_init);
module_exit(klpcheck_core_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klpcheck block points and /proc/klpcheck");
`;
}
