/**
 * escalade/sync in the bundle (make bundle: esbuild --alias:escalade=scripts/shim-escalade):
 * yargs climbs from the working directory (the bundle has no node_modules in its path) to the
 * nearest package.json, to guess a version and read a "yargs" key of parser settings. zbk
 * gives its version and settings itself, so the bundle finds none: no readdir of every
 * directory up from wherever root runs zbk, and no package.json there changes how zbk parses.
 * It names /dev/null, an empty file that yargs fails to read as JSON and ignores: found
 * nothing (undefined), yargs fails an assertion instead, and node's assert module and its
 * AssertionError cost ~1 ms of every start.
 */
export default function findNothing() {
  return '/dev/null';
}
