/**
 * assert in the bundle, for yargs (make bundle: esbuild --alias:assert=): yargs checks its own
 * arguments with these two at every start; node's assert module (~0.5 ms with its error
 * formatting) is required only when a check fails, and throws its own error as before.
 */
export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) require('node:assert').notStrictEqual(actual, expected, message);
}

export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) require('node:assert').strictEqual(actual, expected, message);
}
