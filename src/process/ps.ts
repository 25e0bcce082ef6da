/**
 * What runs on this machine, as ps(1) tells it: the one portable way (FreeBSD has no /proc by
 * default). `ps axeww -o pid=,pgid=,stat=,command=` means the same to procps (Linux) and to
 * FreeBSD's ps (which takes BSD options without a dash): every process, its group, its
 * state, and its command line followed by its environment, unabridged. Reading another
 * user's environment needs root, which zbk runs as; whether this ps shows environments at
 * all is checked on every call, with a variable put in ps's own.
 */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

export interface Proc {
  readonly pid: number;
  readonly pgid: number;
  /** A zombie has exited and waits for its parent: it writes nothing. */
  readonly zombie: boolean;
  /** The command line, then the environment (`NAME=value` words), as ps prints them. */
  readonly text: string;
}

interface ProcessTable {
  readonly procs: readonly Proc[];
  /** Whether ps showed environments (else no process can be found by a variable). */
  readonly environments: boolean;
}

const PROBE = 'ZBK_PS_PROBE';

/** One line of the table; null for anything else (a header, a blank line). */
export function parsePsLine(line: string): Proc | null {
  const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line);
  if (!m) return null;
  return { pid: Number(m[1]), pgid: Number(m[2]), zombie: m[3]!.startsWith('Z'), text: m[4]! };
}

/** Whether `text` (a command line and environment) has the word `name=value`. */
export function hasVariable(text: string, name: string, value: string): boolean {
  const word = `${name}=${value}`;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1];
    const after = text[at + word.length] ?? ' ';
    if (before === ' ' && after === ' ') return true;
  }
  return false;
}

/** Every process, or null when ps could not run. */
export async function processTable(): Promise<ProcessTable | null> {
  const nonce = randomBytes(8).toString('hex');
  const r = await execa('ps', ['axeww', '-o', 'pid=,pgid=,stat=,command='], {
    reject: false,
    env: { LC_ALL: 'C', [PROBE]: nonce },
  });
  if (r.exitCode !== 0) return null;
  const procs = r.stdout.split('\n').flatMap((line) => parsePsLine(line) ?? []);
  return { procs, environments: procs.some((p) => hasVariable(p.text, PROBE, nonce)) };
}

/** The command line of `pid` (no environment); null when no such process runs, undefined when ps could not tell. */
export async function commandLine(pid: number): Promise<string | null | undefined> {
  const r = await execa('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { reject: false, env: { LC_ALL: 'C' } });
  if (r.failed && r.exitCode === undefined) return undefined; // ps did not run
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/**
 * Whether a command line, as ps prints it, is one that was started with `args`: their words
 * appear in it in order. Compared word by word on runs of plain characters, since ps
 * escapes or replaces what is not printable ASCII, each ps its own way.
 */
export function looksStartedWith(command: string, args: readonly string[]): boolean {
  let at = 0;
  for (const word of args.flatMap((a) => a.match(/[\w./=:@,+-]+/g) ?? [])) {
    const found = command.indexOf(word, at);
    if (found === -1) return false;
    at = found + word.length;
  }
  return true;
}
