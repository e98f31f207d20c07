/**
 * `text` without the spaces, tabs and line ends around it: how the command
 * line's numbers, names and scope parts are trimmed. Not String.trim(), which
 * also takes a byte order mark, U+2028 or U+3000, characters that show as
 * nothing or as a space: `--semantics $'\ufeffupstream'` passed as upstream,
 * where a number with the same character was refused (stop 59's hostile-user
 * findings). Such a name is now refused, and its error line shows the
 * character escaped (errors.ts escapeInvisible).
 */
export const unspaced = (text: string): string => text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
