/**
 * string-width in the bundle (make bundle: esbuild --alias:string-width=): the package itself,
 * loaded on first use. Its module builds Intl.Segmenters and Unicode-property regexes at load
 * (~30 ms of ICU), and only yargs' help layout asks a width, so a command that shows no help
 * never loads it. yargs, cliui and wrap-ansi all get string-width 8 this way (cliui and
 * wrap-ansi pin 7: the same widths for the ASCII text of zbk's help).
 */
let stringWidth;

export default function lazyStringWidth(text, options) {
  stringWidth ??= require('../node_modules/string-width/index.js').default;
  return stringWidth(text, options);
}
