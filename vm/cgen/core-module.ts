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

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/proc_fs.h>

/* What a generated function returns when its block point was interrupted. */
#define KLPCHECK_RESTART ERR_PTR(-ERESTARTSYS)

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

/*
 * Sleeps in the caller's function if its key was armed; returns 0 when
 * released, or -ERESTARTSYS when a signal (the transition's fake signal)
 * interrupts an interruptible sleep: the function then returns
 * KLPCHECK_RESTART, the read is restarted after the return to user space
 * (where the task switches), and the restarted call sleeps again.
 */
int klpcheck_block_point(const char *key);
/*
 * The same, holding owner (the module whose code sleeps) while asleep: as
 * long as a task sleeps in a module's function, rmmod of that module fails
 * (module in use), as the model never unloads code a task sleeps in. Generated
 * functions call this with THIS_MODULE.
 */
int klpcheck_block_point_in(const char *key, struct module *owner);
/* Wakes every sleeper whose key starts with prefix (a module going away). */
void klpcheck_release_prefix(const char *prefix);
/* /proc/klpcheck/call: each host module adds its object's directory here. */
struct proc_dir_entry *klpcheck_call_root(void);

/* A host module's functions, registered so that /proc/klpcheck/kthread can call them by key. */
struct klpcheck_host {
	struct list_head node;
	struct module *owner;
	const char *object;
	const struct klpcheck_entry *const *tables;
	int ntables;
};
void klpcheck_register(struct klpcheck_host *host);
void klpcheck_unregister(struct klpcheck_host *host);

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
#include <linux/kthread.h>
#include <linux/mutex.h>
#include "klpcheck.h"

/*
 * A key written to arm: the next caller of that function sleeps, killable
 * (default) or interruptible ("<key> interruptible"). pid 0 matches any
 * task; an interrupted sleeper re-arms for itself, so its restarted call
 * sleeps again.
 */
struct armed_key {
	struct list_head node;
	char key[KLPCHECK_KEY_MAX];
	pid_t pid;
	bool interruptible;
};

/* A task asleep in a block point; lives on its own stack. */
struct sleeper {
	struct list_head node;
	char key[KLPCHECK_KEY_MAX];
	pid_t pid;
	bool released;
};

/* A kernel thread started by /proc/klpcheck/kthread. */
struct kthread_entry {
	struct list_head node;
	struct task_struct *task;
	klpcheck_fn fn;
	struct module *owner;
};

static LIST_HEAD(hosts);
static LIST_HEAD(kthreads);
static DEFINE_MUTEX(hosts_lock);
static LIST_HEAD(armed);
static LIST_HEAD(sleepers);
static DEFINE_SPINLOCK(lock);
static DECLARE_WAIT_QUEUE_HEAD(wake);
static struct proc_dir_entry *root_dir;
static struct proc_dir_entry *call_dir;

int klpcheck_block_point_in(const char *key, struct module *owner)
{
	struct armed_key *a, *found = NULL;
	struct sleeper me;
	pid_t pid = task_pid_nr(current);
	int ret;

	/* A module on its way out keeps no sleeper. */
	if (owner && !try_module_get(owner))
		return 0;
	spin_lock(&lock);
	list_for_each_entry(a, &armed, node) {
		if (strcmp(a->key, key) == 0 && (a->pid == 0 || a->pid == pid)) {
			found = a;
			break;
		}
	}
	if (!found) {
		spin_unlock(&lock);
		module_put(owner);
		return 0;
	}
	list_del(&found->node);
	strscpy(me.key, key, sizeof(me.key));
	me.pid = pid;
	me.released = false;
	list_add_tail(&me.node, &sleepers);
	spin_unlock(&lock);

	if (found->interruptible) {
		/* The fake signal wakes it (facts B.2, "signaling remaining tasks"). */
		ret = wait_event_interruptible(wake, READ_ONCE(me.released));
	} else {
		/* Killable: the transition's fake signal does not wake it. */
		ret = wait_event_killable(wake, READ_ONCE(me.released));
	}

	spin_lock(&lock);
	list_del(&me.node);
	if (ret && found->interruptible && !READ_ONCE(me.released)) {
		/* Interrupted: sleep again when the restarted read calls again. */
		found->pid = pid;
		list_add_tail(&found->node, &armed);
		found = NULL;
	} else {
		ret = 0;
	}
	spin_unlock(&lock);
	kfree(found);
	module_put(owner);
	return ret ? -ERESTARTSYS : 0;
}
EXPORT_SYMBOL_GPL(klpcheck_block_point_in);

int klpcheck_block_point(const char *key)
{
	return klpcheck_block_point_in(key, NULL);
}
EXPORT_SYMBOL_GPL(klpcheck_block_point);

static bool key_matches(const char *have, const char *want, bool prefix)
{
	return prefix ? strncmp(have, want, strlen(want)) == 0 : strcmp(have, want) == 0;
}

static void release_matching(const char *key, bool prefix)
{
	struct sleeper *s;
	struct armed_key *a, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&lock);
	list_for_each_entry(s, &sleepers, node) {
		if (key_matches(s->key, key, prefix))
			WRITE_ONCE(s->released, true);
	}
	/* A sleeper between its interruption and its restarted call is released too. */
	list_for_each_entry_safe(a, tmp, &armed, node) {
		if (a->pid && key_matches(a->key, key, prefix))
			list_move(&a->node, &dropped);
	}
	spin_unlock(&lock);
	list_for_each_entry_safe(a, tmp, &dropped, node)
		kfree(a);
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

void klpcheck_register(struct klpcheck_host *host)
{
	mutex_lock(&hosts_lock);
	list_add_tail(&host->node, &hosts);
	mutex_unlock(&hosts_lock);
}
EXPORT_SYMBOL_GPL(klpcheck_register);

void klpcheck_unregister(struct klpcheck_host *host)
{
	mutex_lock(&hosts_lock);
	list_del(&host->node);
	mutex_unlock(&hosts_lock);
}
EXPORT_SYMBOL_GPL(klpcheck_unregister);

/*
 * A kernel thread never returns to user space (facts B.2): it calls the
 * function once, sleeping in it if the key is armed, then idles in this
 * module until the core goes away. It holds the function's module while
 * it may run there, as a task sleeping in a module keeps it.
 */
static int kthread_body(void *data)
{
	struct kthread_entry *k = data;

	k->fn(NULL);
	module_put(k->owner);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* The entry of a key "<object>:<file>", with its host's module held; NULL if there is none. */
static const struct klpcheck_entry *find_entry(const char *key, struct module **owner)
{
	const char *colon = strchr(key, ':');
	struct klpcheck_host *h;
	const struct klpcheck_entry *e;
	int i;

	if (!colon)
		return NULL;
	list_for_each_entry(h, &hosts, node) {
		if (strlen(h->object) != colon - key || strncmp(h->object, key, colon - key) != 0)
			continue;
		for (i = 0; i < h->ntables; i++) {
			for (e = h->tables[i]; e->name; e++) {
				if (strcmp(e->name, colon + 1) == 0 && try_module_get(h->owner)) {
					*owner = h->owner;
					return e;
				}
			}
		}
	}
	return NULL;
}

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
	/* "<key> interruptible": the key ends at the first blank. */
	if (strchr(a->key, ' ')) {
		a->interruptible = strcmp(strchr(a->key, ' ') + 1, "interruptible") == 0;
		if (!a->interruptible) {
			kfree(a);
			return -EINVAL;
		}
		*strchr(a->key, ' ') = '\\0';
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

static ssize_t kthread_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	char key[KLPCHECK_KEY_MAX];
	const struct klpcheck_entry *e;
	struct kthread_entry *k;
	struct module *owner = NULL;
	int ret = read_key(buf, count, key);

	if (ret)
		return ret;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	mutex_lock(&hosts_lock);
	e = find_entry(key, &owner);
	if (!e) {
		mutex_unlock(&hosts_lock);
		kfree(k);
		return -ENOENT;
	}
	k->fn = e->fn;
	k->owner = owner;
	k->task = kthread_run(kthread_body, k, "klpcheck_kthread");
	if (IS_ERR(k->task)) {
		ret = PTR_ERR(k->task);
		mutex_unlock(&hosts_lock);
		module_put(owner);
		kfree(k);
		return ret;
	}
	get_task_struct(k->task);
	list_add_tail(&k->node, &kthreads);
	mutex_unlock(&hosts_lock);
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

static const struct proc_ops kthread_ops = {
	.proc_write = kthread_write,
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
	    !proc_create("kthread", 0200, root_dir, &kthread_ops) ||
	    !proc_create_single("sleeping", 0444, root_dir, sleeping_show)) {
		proc_remove(root_dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit klpcheck_core_exit(void)
{
	struct armed_key *a, *tmp;
	struct kthread_entry *k, *ktmp;

	release_matching("", true);
	proc_remove(root_dir);
	list_for_each_entry_safe(k, ktmp, &kthreads, node) {
		kthread_stop(k->task);
		put_task_struct(k->task);
		list_del(&k->node);
		kfree(k);
	}
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
