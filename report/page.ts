/** The frame every HTML page klpcheck writes shares: no scripts, nothing from the network. */
import { xml } from './svg.ts';

export function htmlPage(title: string, css: readonly string[], body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${xml(title)}</title>`,
    '<style>',
    ...css,
    '</style>',
    '</head>',
    '<body>',
    `<h1>${xml(title)}</h1>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
