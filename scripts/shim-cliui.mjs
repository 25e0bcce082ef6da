/**
 * cliui in the bundle (make bundle: esbuild --alias:cliui=): the package itself, loaded when
 * yargs first lays out help, so that its modules and theirs (wrap-ansi, strip-ansi) are not
 * evaluated at every start.
 */
export default function lazyCliui(options) {
  return require('../node_modules/cliui/index.mjs').default(options);
}
