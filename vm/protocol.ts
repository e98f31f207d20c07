/**
 * The guest's reports on ttyS1 (written by vm/guest/functions.sh), parsed into one record per case.
 * Line forms: `@boot RELEASE`, `@begin ID`, `@step INDEX RC ERROR`, `@log LINE`,
 * `@sysfs PATCH/FILE MODE VALUE`, `@probe KEY LINE`, `@error ID WHAT`, `@end ID`, `@dirty ID WHAT`, `@done`.
 * Anything else (a serial port's noise) is ignored; a line that breaks the grammar is kept as a
 * protocol error of its case, never thrown, so one bad line cannot hide the other results.
 */
import type { SysfsFile } from './observation.ts';

export interface GuestStep {
  readonly index: number;
  /** insmod's, rmmod's or the shell's exit status: 0 ok. */
  readonly rc: number;
  /** The first line of the command's error output ('' when none). */
  readonly error: string;
  /** dmesg lines of the step, timestamps removed, unfiltered. */
  readonly log: string[];
  /** Keyed by the kernel's "<patch>/<file>" path. */
  readonly sysfs: Record<string, SysfsFile>;
  /** Probe key -> first line the probe printed. */
  readonly probes: Record<string, string>;
}

export interface GuestCase {
  readonly id: string;
  readonly steps: GuestStep[];
  ended: boolean;
  /** What the clean-up could not remove (the boot stopped after this case). */
  dirty?: string;
  readonly errors: string[];
}

export interface GuestReport {
  /** `uname -r` in the guest, or undefined when the guest never got that far. */
  release?: string;
  readonly cases: GuestCase[];
  /** The guest reached the end of its batch. */
  done: boolean;
}

export function parseGuestOutput(text: string): GuestReport {
  const report: GuestReport = { cases: [], done: false };
  let kase: GuestCase | undefined;
  let step: GuestStep | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^@(\w+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const [, tag, rest = ''] = m;
    const bad = (why: string) => kase?.errors.push(`${why}: ${line}`);
    switch (tag) {
      case 'boot':
        report.release = rest;
        break;
      case 'begin':
        kase = { id: rest, steps: [], ended: false, errors: [] };
        step = undefined;
        report.cases.push(kase);
        break;
      case 'step': {
        const s = /^(\d+) (\d+) ?(.*)$/.exec(rest);
        if (!kase || !s) {
          bad('malformed step line');
          break;
        }
        step = { index: Number(s[1]), rc: Number(s[2]), error: s[3]!, log: [], sysfs: {}, probes: {} };
        kase.steps.push(step);
        break;
      }
      case 'log':
        if (step) step.log.push(rest);
        else bad('log line outside a step');
        break;
      case 'sysfs': {
        const s = /^(\S+) (\S+) ?(.*)$/.exec(rest);
        if (step && s) step.sysfs[s[1]!] = { mode: s[2]!, value: s[3]! };
        else bad('malformed sysfs line');
        break;
      }
      case 'probe': {
        const s = /^(\S+) ?(.*)$/.exec(rest);
        if (step && s) step.probes[s[1]!] = s[2]!;
        else bad('malformed probe line');
        break;
      }
      case 'end':
        if (kase && kase.id === rest) kase.ended = true;
        else bad('end of a case that did not begin');
        step = undefined;
        break;
      case 'dirty': {
        const [id, ...what] = rest.split(' ');
        const c = report.cases.find((x) => x.id === id);
        if (c) c.dirty = what.filter(Boolean).join(' ');
        break;
      }
      case 'error': {
        const [id, ...what] = rest.split(' ');
        report.cases.find((x) => x.id === id)?.errors.push(what.join(' '));
        break;
      }
      case 'done':
        report.done = true;
        break;
    }
  }
  return report;
}
