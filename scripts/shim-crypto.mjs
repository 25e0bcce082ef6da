/**
 * node:crypto in the bundle (make bundle: esbuild --alias:node:crypto=): node's module, required
 * when zbk first asks it for random bytes (a state file written, a lock taken) or a hash (history
 * --checksum, an ssh control path), not when the modules that may do so load. esbuild refuses to bundle an import of any other name from node:crypto
 * ("No matching export"): add it here as a function like this one.
 */
export function randomBytes(...args) {
  return require('crypto').randomBytes(...args);
}

export function createHash(...args) {
  return require('crypto').createHash(...args);
}
