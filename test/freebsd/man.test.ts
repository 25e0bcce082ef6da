/**
 * The manual pages and the sample configuration: mandoc finds nothing to say (in zbk(8), not
 * even of style), every command
 * and option that `zbk --help` shows is in zbk(8), every key that zbk knows is in zbk.toml(5)
 * and in the sample, every rc.conf and periodic.conf variable the scripts read is in zbk(8),
 * and the sample and the examples load.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { ROOT, zbk } from '../helpers/cli.js';

const ZBK_8 = `${ROOT}man/zbk.8`;
const ZBK_TOML_5 = `${ROOT}man/zbk.toml.5`;
const SAMPLE = `${ROOT}etc/zbk.toml.sample`;

const read = (path: string) => readFile(path, 'utf8');

async function tempFile(name: string, text: string): Promise<{ path: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-man-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return { path, done: () => rm(dir, { recursive: true, force: true }) };
}

/** The first `.Bd -literal` block after the line matching `after`. */
function literalBlock(page: string, after: RegExp): string {
  const lines = page.split('\n');
  const start = lines.findIndex((l) => after.test(l));
  if (start < 0) throw new Error(`no line matches ${after}`);
  const open = lines.findIndex((l, i) => i > start && l.startsWith('.Bd -literal'));
  const close = lines.findIndex((l, i) => i > open && l === '.Ed');
  return `${lines.slice(open + 1, close).join('\n')}\n`;
}

/** The keys zbk knows in each table, as its own "unknown key" errors list them. */
async function knownKeys(): Promise<Map<string, string[]>> {
  const probe = await tempFile('probe.toml', [
    '[zbk]', 'zz_probe = 1',
    '[retention.probe]', 'zz_probe = 1',
    '[[job]]', 'zz_probe = 1',
    '[scrub]', 'zz_probe = 1',
    '[alert]', 'zz_probe = 1', '',
  ].join('\n'));
  try {
    const r = await zbk(['configtest', '--config', probe.path]);
    const tables = new Map<string, string[]>();
    for (const m of r.stderr.matchAll(/: ([a-z]+)(?:\.[a-z]+)?(?:\[\d+\])?\.zz_probe: unknown key \(known here: ([^)]*)\)/g)) {
      tables.set(m[1]!, m[2]!.split(', '));
    }
    return tables;
  } finally {
    await probe.done();
  }
}

test('mandoc -Tlint -W warning finds nothing in either page', async (t) => {
  const r = await execa('mandoc', ['-Tlint', '-W', 'warning', ZBK_8, ZBK_TOML_5], { reject: false });
  t.is(`${r.stdout}${r.stderr}`, '');
  t.is(r.exitCode, 0);
});

/**
 * The manuals zbk(8) may name with .Xr: FreeBSD's own, those of the packages zbk needs
 * (rsync, node) and zbk's two. mandoc looks each .Xr up in MANPATH; the test machine is not
 * FreeBSD, so it gets a MANPATH of stubs of these, and an .Xr to anything else (a typo) is
 * still found.
 */
const NAMED_MANUALS = [
  'dd 1', 'logger 1', 'node 1', 'ps 1', 'rsync 1', 'sh 1', 'ssh 1', 'ssh-keygen 1', 'ssh-keyscan 1',
  'crontab 5', 'periodic.conf 5', 'rc.conf 5', 'rsyncd.conf 5', 'syslog.conf 5', 'zbk.toml 5',
  'hier 7',
  'cron 8', 'daemon 8', 'newsyslog 8', 'periodic 8', 'rc 8', 'rc.shutdown 8', 'rc.subr 8',
  'service 8', 'syslogd 8', 'zbk 8', 'zfs 8', 'zfs-allow 8', 'zfs-hold 8', 'zpool 8',
];

async function stubManpath(): Promise<{ path: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-manpath-'));
  for (const manual of NAMED_MANUALS) {
    const [name, section] = manual.split(' ') as [string, string];
    await mkdir(join(dir, `man${section}`), { recursive: true });
    await writeFile(join(dir, `man${section}`, `${name}.${section}`),
      `.Dd December 1, 2026\n.Dt ${name.toUpperCase()} ${section}\n.Os\n.Sh NAME\n.Nm ${name}\n.Nd stub\n`);
  }
  // In /usr/sbin on Debian, off a user's PATH (make unit runs as nobody); /usr/bin on FreeBSD.
  await execa('makewhatis', [dir], { env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin` } });
  return { path: dir, done: () => rm(dir, { recursive: true, force: true }) };
}

test('mandoc -Tlint -W style finds nothing in zbk(8), its .Xr included', async (t) => {
  const manpath = await stubManpath();
  t.teardown(manpath.done);
  const r = await execa('mandoc', ['-Tlint', '-W', 'style', ZBK_8], { env: { MANPATH: manpath.path }, reject: false });
  t.is(`${r.stdout}${r.stderr}`, '');
  t.is(r.exitCode, 0);
});

test('zbk(8) has every command and every option of zbk --help', async (t) => {
  const page = await read(ZBK_8);
  const top = await zbk(['--help']);
  t.is(top.exitCode, 0, top.stderr);
  const commands = [...top.stdout.matchAll(/^ {2}zbk ([a-z-]+)/gm)].map((m) => m[1]!);
  t.true(commands.length >= 10, `commands found in --help: ${commands.join(', ')}`);
  for (const command of commands) {
    t.regex(page, new RegExp(`^\\.It Cm ${command}\\b`, 'm'), `zbk(8) describes ${command} in the command list`);
    t.regex(page, new RegExp(`^\\.Nm\\n\\.Cm ${command}$`, 'm'), `zbk(8) has ${command} in the SYNOPSIS`);
    const help = await zbk([command, '--help']);
    t.is(help.exitCode, 0, help.stderr);
    for (const [, option] of help.stdout.matchAll(/^\s+(?:-\w, )?--([a-z][a-z-]*)/gm)) {
      t.regex(page, new RegExp(`Fl -${option}\\b`), `zbk(8) names --${option} (of zbk ${command})`);
    }
  }
});

test('zbk.toml(5) and the sample have every key of every table that zbk knows', async (t) => {
  const page = await read(ZBK_TOML_5);
  const sample = await read(SAMPLE);
  const tables = await knownKeys();
  t.deepEqual([...tables.keys()].sort(), ['alert', 'job', 'retention', 'scrub', 'zbk']);
  for (const [table, keys] of tables) {
    for (const key of keys) {
      t.regex(page, new RegExp(`^\\.It Ic ${key} Pq`, 'm'), `zbk.toml(5) describes ${table}.${key}`);
      t.regex(sample, new RegExp(`^#?${key} = `, 'm'), `the sample shows ${table}.${key}`);
    }
  }
});

test('zbk(8) has every rc.conf variable of rc.d/zbk and every periodic.conf variable of the daily script', async (t) => {
  const page = await read(ZBK_8);
  const rc = await read(`${ROOT}rc.d/zbk`);
  const periodic = await read(`${ROOT}periodic/daily/410.zbk`);
  const rcVars = new Set([...rc.matchAll(/^# (zbk_[a-z]+) \(/gm)].map((m) => m[1]!));
  t.deepEqual([...rcVars].sort(), ['zbk_args', 'zbk_config', 'zbk_enable', 'zbk_flags', 'zbk_user']);
  const periodicVars = new Set([...periodic.matchAll(/^: "\$\{(daily_zbk_[a-z_]+):=/gm)].map((m) => m[1]!));
  t.deepEqual([...periodicVars].sort(), [
    'daily_zbk_enable', 'daily_zbk_flags', 'daily_zbk_program', 'daily_zbk_replicate_enable',
    'daily_zbk_scrub_enable', 'daily_zbk_scrub_max_age', 'daily_zbk_scrub_report_enable',
  ]);
  for (const v of [...rcVars, ...periodicVars]) t.regex(page, new RegExp(`^\\.It Va ${v}$`, 'm'), `zbk(8) describes ${v}`);
});

test('the sample configuration loads as it is', async (t) => {
  const r = await zbk(['configtest', '--config', SAMPLE]);
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, /OK \(1 job, /);
});

test('the sample loads with every commented key uncommented, so each shows a value zbk takes', async (t) => {
  const sample = await read(SAMPLE);
  // password_file is for rsync:// sources only, and the sample's job pulls over ssh.
  const all = sample
    .split('\n')
    .filter((l) => !l.startsWith('#password_file'))
    .map((l) => l.replace(/^#(?=[a-z_]+ = |\[)/, ''))
    .join('\n');
  t.not(all, sample);
  const file = await tempFile('all.toml', all);
  t.teardown(file.done);
  const r = await zbk(['configtest', '--config', file.path]);
  t.is(r.exitCode, 0, `${r.stderr}\n${all}`);
  t.regex(r.stdout, /OK \(2 jobs, 2 retention policies\)/);
});

test('the examples of both pages load', async (t) => {
  const examples = [
    literalBlock(await read(ZBK_TOML_5), /^\.Sh EXAMPLES$/),
    literalBlock(await read(ZBK_8), /^with this job in it:$/),
  ];
  for (const text of examples) {
    const file = await tempFile('example.toml', text);
    t.teardown(file.done);
    const r = await zbk(['configtest', '--config', file.path]);
    t.is(r.exitCode, 0, `${r.stderr}\n${text}`);
  }
});
