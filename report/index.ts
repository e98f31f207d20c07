/** Every output format of `klpcheck render`, by name. */
import type { Counterexample } from '../harness/counterexample.ts';
import type { RenderContext } from './context.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSelftest } from './selftest.ts';
import { renderSvgFile } from './svg.ts';
import { renderText } from './text.ts';

export type Renderer = (c: Counterexample, ctx: RenderContext) => string;

export const RENDERERS = {
  text: renderText,
  markdown: renderMarkdown,
  html: renderHtml,
  svg: renderSvgFile,
  selftest: renderSelftest,
} as const satisfies Readonly<Record<string, Renderer>>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as readonly Format[];
