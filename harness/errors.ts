/**
 * Errors a user can cause, with stable codes. The CLI catches them at one
 * edge (cli/main.ts), prints the one-line message and exits 2; nothing else
 * prints a stack trace.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_NO_FILE'
  | 'E_JSON'
  | 'E_SCHEMA'
  | 'E_REFERENCE'
  | 'E_SEMANTICS'
  | 'E_CONFLICT'
  | 'E_IO'
  /** klpcheck vm: the kernel is not set up (run npm run vm:setup), a build or a boot failed. */
  | 'E_VM_SETUP'
  | 'E_VM_BUILD'
  | 'E_VM_BOOT'
  /** A universe that C for an upstream kernel cannot express (vm/cgen). */
  | 'E_INEXPRESSIBLE';

export class KlpcheckError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
    /** JSON pointer (RFC 6901) into the file, or a line:column for a syntax error. */
    readonly where?: string,
  ) {
    super(message);
  }

  /** `file:/pointer: message [CODE]`, one line even if the message is not (scripts read it with `read`). */
  format(): string {
    const loc = this.file ? `${this.file}${this.where !== undefined ? `:${this.where || '/'}` : ''}: ` : '';
    return `klpcheck: ${loc}${this.message.replace(/\s*\n\s*/g, ' ')} [${this.code}]`;
  }
}

/** RFC 6901 escaping of one reference token. */
export function pointer(...tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
