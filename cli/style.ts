/**
 * Colour for the text report. Only on a terminal, and never with NO_COLOR
 * (https://no-color.org: set and non-empty) or --no-color, so that what a
 * maintainer pastes into a mail is plain text.
 */
import type { Io } from './io.ts';

export interface Style {
  readonly pass: (s: string) => string;
  readonly fail: (s: string) => string;
  readonly pending: (s: string) => string;
  readonly removed: (s: string) => string;
  readonly added: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const sgr = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const plain = (s: string) => s;

export const COLOUR: Style = {
  pass: sgr('32'),
  fail: sgr('1;31'),
  pending: sgr('33'),
  removed: sgr('31'),
  added: sgr('32'),
  dim: sgr('2'),
  bold: sgr('1'),
};

export const PLAIN: Style = { pass: plain, fail: plain, pending: plain, removed: plain, added: plain, dim: plain, bold: plain };

export function styleFor(io: Io, noColor: boolean): Style {
  return io.stdoutIsTTY && !noColor && !io.env.NO_COLOR ? COLOUR : PLAIN;
}
