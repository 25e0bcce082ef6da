/**
 * C0 controls (NUL, newline, tab, escape, ...), DEL and C1 controls. No path, name, pattern,
 * argument or command zbk takes needs one, and each can make a value mean something else to
 * the program that reads it: a NUL ends a C string, a newline a filter rule or a command.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const hasControl = (text: string): boolean => CONTROL.test(text);
