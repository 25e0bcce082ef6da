/**
 * Runs a command module's `run` in this process, as src/cli.ts would after parsing: its exit
 * code and what it wrote to stdout and stderr. zfs is the replay given (src/cli/context.ts's
 * useZfs), so a command that runs any zfs command the replay does not expect fails the test.
 * Output is caught by replacing process.stdout/stderr.write: tests that use this are serial.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { useZfs } from '../../src/cli/context.js';
import type { Zfs } from '../../src/zfs/zfs.js';

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCommand<A>(t: ExecutionContext, run: (args: A) => Promise<number>, args: A, zfs?: Zfs): Promise<Ran> {
  const restore = zfs ? useZfs(zfs) : () => undefined;
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const catcher = (key: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = catcher('stdout');
  process.stderr.write = catcher('stderr');
  try {
    const code = await run(args);
    return { code, ...out };
  } catch (e) {
    if (out.stdout || out.stderr) t.log(`stdout: ${out.stdout}\nstderr: ${out.stderr}`);
    throw e;
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    restore();
  }
}

/** A config file in a temp dir of its own (removed after the test), with UTC, state_dir inside it, and `text`. */
export async function configFile(t: ExecutionContext, text = ''): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-command-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\ntimezone = "UTC"\nstate_dir = "${dir}/state"\n${text}`);
  return { dir, file };
}
