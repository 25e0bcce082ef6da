/**
 * Every benchmark, one after another: `make bench` (root, zfs-fuse running, `make build
 * bundle` done). Each prints its own ratios against a baseline measured in the same run.
 */
import { execa } from 'execa';

const BENCHES = ['retention-plan', 'health-parse', 'startup', 'prune', 'storage', 'overhead', 'replicate', 'history', 'zfs-spawn', 'pipe'];

for (const name of BENCHES) {
  console.log(`\n== ${name}`);
  await execa(process.execPath, ['--import=tsx', new URL(`./${name}.ts`, import.meta.url).pathname], { stdio: 'inherit' });
}
