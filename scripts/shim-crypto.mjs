/**
 * node:crypto in the bundle (make bundle: esbuild --alias:node:crypto=): node's module, required
 * when zbk first asks it for random bytes (a state file written, a lock taken), not when the
 * modules that may load. esbuild refuses to bundle an import of any other name from node:crypto
 * ("No matching export"): add it here as a function like this one.
 */
export function randomBytes(...args) {
  return require('crypto').randomBytes(...args);
}
