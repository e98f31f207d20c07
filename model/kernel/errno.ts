/**
 * The errnos the livepatch core and the module loader return, with the text
 * kmod's strerror gives them (what `insmod: ERROR: could not insert module`
 * prints). Source: facts section D; include/uapi/asm-generic/errno-base.h.
 */
export const ERRNO = {
  ENOENT: 2,
  EAGAIN: 11,
  EACCES: 13,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EBUSY: 16,
  // A module parameter's value: too long for a string (param_set_charp), out of range for an int (kstrtoint).
  ENOSPC: 28,
  ERANGE: 34,
} as const;

export type Errno = keyof typeof ERRNO;

/** insmod prints these for a refused init (facts D: -EINVAL is "Invalid parameters"). */
export const INSMOD_STRERROR: Readonly<Record<Errno, string>> = {
  ENOENT: 'No such file or directory',
  EAGAIN: 'Resource temporarily unavailable',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid parameters',
  EBUSY: 'Device or resource busy',
  ENOSPC: 'No space left on device',
  ERANGE: 'Numerical result out of range',
};

/** libc strerror, as the shell prints it for a failed sysfs or sysctl write. */
export const STRERROR: Readonly<Record<Errno, string>> = {
  ...INSMOD_STRERROR,
  EINVAL: 'Invalid argument',
};

export function errnoByNumber(n: number): Errno | undefined {
  const abs = Math.abs(n);
  return (Object.keys(ERRNO) as Errno[]).find((e) => ERRNO[e] === abs);
}

/** The outcome of one operation on the reference implementation. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly errno: Errno };

export const OK: Outcome = { ok: true };
export const fail = (errno: Errno): Outcome => ({ ok: false, errno });

/**
 * The outcomes refused at the door (refused()): one frozen object per errno,
 * so that telling one from a plain fail() is an identity test and making one
 * allocates nothing (a random run refuses about a third of its ops).
 */
const AT_THE_DOOR = Object.fromEntries((Object.keys(ERRNO) as Errno[]).map((e) => [e, Object.freeze(fail(e))])) as Readonly<
  Record<Errno, Outcome>
>;

/**
 * `fail(errno)`, said where an operation refuses before it changes anything
 * (the module is already loaded, the patch is not in transition, the value
 * does not parse ...): the state afterwards is the state before, but for a
 * text line the kernel may log. A checked run skips the checks that only
 * read the state on such a step (harness/run-sequence.ts Lockstep.stepAll),
 * so a refusal marked so must touch nothing: test/door-refusals.test.ts
 * compares the whole state before and after every one of random runs of
 * every semantics.
 */
export function refused(errno: Errno): Outcome {
  return AT_THE_DOOR[errno];
}

/** Whether `o` came from refused(): nothing was changed. */
export const refusedAtTheDoor = (o: Outcome): boolean => !o.ok && AT_THE_DOOR[o.errno] === o;
