/**
 * One scenario as the VM runs it: the guest's actions per step, and the reference implementation's
 * observation of each step. Built by vm/cases/*.ts from a selftest scenario, a thread scenario, a
 * counterexample or a generated sequence; rendered to the guest script by vm/guest-script.ts.
 */
import type { Universe } from '../model/kernel/definitions.ts';
import type { ModuleSet } from './cgen/contract.ts';
import type { StepObservation } from './observation.ts';

/** What the guest does for one step (vm/guest/functions.sh has one shell function per kind). */
export type GuestAction =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'insmod';
      readonly module: string;
      readonly params: Readonly<Record<string, string>>;
      readonly logError: boolean;
      /**
       * The parameter whose value names tasks (test_klp_syscall's klp_pids), as a shell pattern of its spellings
       * (`klp[-_]pids`: kernel/params.c parameq takes a '-' for a '_'), and the model's user tasks: each of those
       * it names runs a getpid loop and insmod gets its PID; another name, a kernel thread's too, gets a PID no
       * process has, as no model task calls getpid under that name (harness/scenario/getpid-callers.ts).
       */
      readonly pids?: { readonly param: string; readonly tasks: readonly string[] };
    }
  | { readonly kind: 'rmmod'; readonly module: string }
  | { readonly kind: 'write'; readonly value: string; readonly path: string }
  | { readonly kind: 'ftrace'; readonly value: 0 | 1 }
  | { readonly kind: 'grep_patched'; readonly keys: readonly string[] }
  | { readonly kind: 'trace'; readonly func: string }
  | { readonly kind: 'block'; readonly task: string; readonly key: string }
  | { readonly kind: 'unblock'; readonly task: string }
  | { readonly kind: 'sleep'; readonly seconds: number }
  /** test-syscall.sh: wait until /sys/kernel/<module>/npids reads 0, log what it reads, stop the getpid loops. */
  | { readonly kind: 'npids'; readonly module: string };

/**
 * One step on the guest. `settle: 'done'` waits (15 s at most, as functions.sh's loop_until) for
 * every transition to finish: used when the model has none after the step, so that the kernel's
 * 1 s retry is not a difference; 'now' observes at once (a stuck transition stays stuck).
 */
export interface VmStep {
  readonly index: number;
  readonly action: GuestAction;
  readonly settle: 'done' | 'now';
  /** check_running: the line functions.sh logs when the function runs the expected version. */
  readonly checkRunning?: { readonly key: string; readonly runs: string; readonly log?: string };
}

export type CaseKind = 'selftest' | 'thread' | 'counterexample' | 'generated';

export interface VmCase {
  /** Unique in a run; also the guest's folder name ([a-z0-9-] only). */
  readonly id: string;
  /** Shown in the report: the file, or "generated #n (seed s)". */
  readonly label: string;
  readonly kind: CaseKind;
  readonly universe: Universe;
  readonly steps: readonly VmStep[];
  /** The reference implementation's observation after each step, same length as steps. */
  readonly model: readonly StepObservation[];
  /** Why the case cannot run on any kernel yet (a feature of features.ts), or undefined. */
  readonly needs?: import('./features.ts').Feature;
}

/** A case with its generated modules. */
export interface BuiltCase {
  readonly vmCase: VmCase;
  readonly modules: ModuleSet;
}

/** The model's key for a function: "<object>:<func>,<sympos>" (sympos 0 when the probe omits it). */
export function modelKey(key: string): string {
  return key.includes(',') ? key : `${key},0`;
}
