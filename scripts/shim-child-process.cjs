/**
 * node:child_process in the bundle (make bundle: esbuild --alias:node:child_process=): node's
 * module, required when a command first spawns or names ChildProcess, not when the modules that
 * can spawn load (`scrub-report` loads the hooks of --alert, and never spawns without it). Each
 * name is a getter of node's own function or class: `instanceof ChildProcess` holds as before.
 * CommonJS, so that a name is read only when used. The names are node 20's exports; one missing
 * here reads as undefined, so add any that node adds before zbk imports it.
 */
'use strict';
let childProcess;
for (const name of ['_forkChild', 'ChildProcess', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync']) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => (childProcess ??= require('child_process'))[name] });
}
