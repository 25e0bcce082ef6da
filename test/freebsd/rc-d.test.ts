/**
 * rc.d/zbk: clean under shellcheck, the header rcorder(8) reads, and what it hands rc.subr(8),
 * read under dash with a stand-in for rc.subr (FreeBSD's is not here): the daemon(8) command
 * line from the defaults and from rc.conf, and configtest, reload and the precmd checks run
 * against the real zbk. The stand-in only records and calls; the script's own code runs as is.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { RC_STOP_WAIT_S } from '../../src/config/stop-timeout.js';
import { CLI, ROOT } from '../helpers/cli.js';

const SCRIPT = `${ROOT}rc.d/zbk`;
const SAMPLE = `${ROOT}etc/zbk.toml.sample`;

/** load_rc_config reads $RC_CONF as rc.conf; `show` prints what rc.subr would use; any other
 * argument names a method variable (configtest_cmd, restart_precmd, ...) and runs it. */
const RC_SUBR = `
load_rc_config() { if [ -n "\${RC_CONF:-}" ]; then . "$RC_CONF"; fi; }
wait_for_pids() { :; }
run_rc_command() {
	case $1 in
	show)
		for v in name rcvar command procname pidfile command_args extra_commands \\
		    start_precmd restart_precmd reload_precmd reload_cmd stop_cmd \\
		    configtest_cmd zbk_enable zbk_config zbk_args zbk_user zbk_flags; do
			eval "printf '%s=%s\\\\n' $v \\"\\\${$v-}\\""
		done ;;
	*)	eval "method=\\\${$1}"; $method ;;
	esac
}
`;

interface Harness {
  readonly dir: string;
  readonly prefix: string;
  run(arg: string, rcConf?: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/** The script as install.sh lays it out (%%PREFIX%% replaced), with the stand-in for rc.subr and
 * PREFIX/sbin/zbk running the built CLI. For the stop tests, `stop` puts /var/run/zbk in the
 * test's directory and shortens zbk_stop_wait. */
async function harness(t: { teardown(fn: () => Promise<void>): void }, stop?: { waitS: number }): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-rcd-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const prefix = join(dir, 'prefix');
  await mkdir(join(prefix, 'sbin'), { recursive: true });
  await writeFile(join(prefix, 'sbin/zbk'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(prefix, 'sbin/zbk'), 0o755);
  await writeFile(join(dir, 'rc.subr'), RC_SUBR);
  const original = await readFile(SCRIPT, 'utf8');
  let script = original.replace(/^\. \/etc\/rc\.subr$/m, `. ${join(dir, 'rc.subr')}`).replaceAll('%%PREFIX%%', prefix);
  if (script === original) throw new Error('rc.d/zbk no longer sources /etc/rc.subr on a line of its own');
  if (stop) {
    const patched = script
      .replace(/^zbk_rundir="\/var\/run\/zbk"$/m, `zbk_rundir="${dir}"`)
      .replace(/^zbk_stop_wait=\d+$/m, `zbk_stop_wait=${stop.waitS}`);
    if ((patched.match(new RegExp(dir, 'g')) ?? []).length < 2 || !patched.includes(`zbk_stop_wait=${stop.waitS}\n`)) {
      throw new Error('rc.d/zbk no longer sets zbk_rundir and zbk_stop_wait on lines of their own');
    }
    script = patched;
  }
  await writeFile(join(dir, 'zbk'), script);
  return {
    dir,
    prefix,
    async run(arg, rcConf) {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
      if (rcConf !== undefined) {
        await writeFile(join(dir, 'rc.conf'), rcConf);
        env.RC_CONF = join(dir, 'rc.conf');
      }
      const r = await execa('dash', [join(dir, 'zbk'), arg], { env, extendEnv: false, reject: false, stdin: 'ignore' });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

function parseShow(stdout: string): Map<string, string> {
  return new Map(stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const words = (s: string | undefined) => (s ?? '').trim().split(/\s+/);

test('rc.d/zbk is clean under shellcheck -s sh', async (t) => {
  const r = await execa('shellcheck', ['-s', 'sh', SCRIPT], { reject: false });
  t.is(r.stdout, '');
  t.is(r.exitCode, 0);
});

test('the header is what rcorder(8) and rc.subr(8) expect', async (t) => {
  const text = await readFile(SCRIPT, 'utf8');
  t.regex(text, /^#!\/bin\/sh\n/);
  for (const line of ['# PROVIDE: zbk', '# REQUIRE: LOGIN', '# KEYWORD: shutdown', '. /etc/rc.subr', 'name="zbk"', 'rcvar="zbk_enable"', 'load_rc_config $name']) {
    t.true(text.split('\n').includes(line), `has the line ${line}`);
  }
  // Defaults come after load_rc_config, so that rc.conf wins; run_rc_command comes last.
  t.true(text.indexOf('load_rc_config $name') < text.indexOf(': "${zbk_enable:=NO}"'));
  t.regex(text, /\nrun_rc_command "\$1"\n$/);
});

test('by default the service runs zbk daemon under daemon(8), supervisor pid file, restart, syslog', async (t) => {
  const h = await harness(t);
  const r = await h.run('show');
  t.is(r.exitCode, 0, r.stderr);
  const v = parseShow(r.stdout);
  t.is(v.get('name'), 'zbk');
  t.is(v.get('rcvar'), 'zbk_enable');
  t.is(v.get('zbk_enable'), 'NO');
  t.is(v.get('zbk_config'), `${h.prefix}/etc/zbk.toml`, 'PREFIX/etc/zbk.toml, as for zbk itself');
  t.is(v.get('zbk_args'), '');
  t.is(v.get('zbk_user'), 'root');
  t.is(v.get('zbk_flags'), '-r', 'restart a zbk that died: -r is the default of zbk_flags, for daemon(8)');
  t.is(v.get('command'), '/usr/sbin/daemon');
  t.is(v.get('procname'), '/usr/sbin/daemon');
  t.is(v.get('pidfile'), '/var/run/zbk/daemon.pid');
  t.deepEqual(words(v.get('command_args')), [
    // daemon(8) options of FreeBSD 13 and 14 alike; what it reads from zbk is what zbk could not
    // send to syslog itself (see --syslog), so it logs that at err.
    '-f', '-S', '-l', 'daemon', '-s', 'err', '-T', 'zbk', '-P', '/var/run/zbk/daemon.pid', '-p', '/var/run/zbk/zbk.pid',
    `${h.prefix}/sbin/zbk`, 'daemon', '--syslog', 'daemon', '--config', `${h.prefix}/etc/zbk.toml`,
  ]);
  t.deepEqual(words(v.get('extra_commands')).sort(), ['configtest', 'reload']);
  for (const method of ['start_precmd', 'restart_precmd', 'reload_precmd', 'reload_cmd', 'stop_cmd', 'configtest_cmd']) {
    t.truthy(v.get(method), `${method} is set`);
  }
});

test('rc.conf settings reach the command line, and zbk_flags is left to rc.subr for daemon(8)', async (t) => {
  const h = await harness(t);
  const r = await h.run('show', 'zbk_enable="YES"\nzbk_config="/etc/zbk-test.toml"\nzbk_args="--verbose-test"\nzbk_flags="-R 30"\n');
  t.is(r.exitCode, 0, r.stderr);
  const v = parseShow(r.stdout);
  t.is(v.get('zbk_enable'), 'YES');
  t.is(v.get('zbk_flags'), '-R 30');
  const args = words(v.get('command_args'));
  t.deepEqual(args.slice(-7), [`${h.prefix}/sbin/zbk`, 'daemon', '--syslog', 'daemon', '--config', '/etc/zbk-test.toml', '--verbose-test']);
  // rc.subr runs "$command $rc_flags $command_args", and daemon(8) of FreeBSD 13 takes the last
  // of -r and -R: neither may follow in command_args, or "-R 30" would be a one-second restart.
  t.false(args.includes('-R'));
  t.false(args.includes('-r'));
  // An empty zbk_flags is the admin's choice (no restart), not replaced by the default.
  t.is(parseShow((await h.run('show', 'zbk_flags=""\n')).stdout).get('zbk_flags'), '');
});

test('configtest checks the configuration with the real zbk: OK for the sample', async (t) => {
  const h = await harness(t);
  const r = await h.run('configtest_cmd', `zbk_enable="YES"\nzbk_config="${SAMPLE}"\n`);
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, /^Performing sanity check on zbk configuration:\n.*zbk\.toml\.sample: OK \(1 job/);
});

test('configtest, restart and reload refuse a broken configuration; the quiet check says nothing when it is fine', async (t) => {
  const h = await harness(t);
  const broken = join(h.dir, 'broken.toml');
  await writeFile(broken, '[zbk]\ndestroy_batch = "many"\n');
  const rcConf = `zbk_enable="YES"\nzbk_config="${broken}"\n`;
  const check = await h.run('configtest_cmd', rcConf);
  t.is(check.exitCode, 78);
  t.regex(check.stderr, /broken\.toml:2: zbk\.destroy_batch: must be a whole number/);
  for (const method of ['restart_precmd', 'reload_precmd']) {
    const r = await h.run(method, rcConf);
    t.not(r.exitCode, 0, `${method} refuses`);
    t.regex(r.stderr, /destroy_batch/);
  }
  const fine = await h.run('restart_precmd', `zbk_config="${SAMPLE}"\n`);
  t.is(fine.exitCode, 0, fine.stderr);
  t.is(fine.stdout, '');
});

test('reload without a running service says so and fails', async (t) => {
  const h = await harness(t);
  const r = await h.run('reload_cmd', 'zbk_enable="YES"\n');
  t.is(r.exitCode, 1);
  t.regex(r.stdout, /zbk not running\?/);
});

test('the port installs this very script (files/zbk.in is a copy of rc.d/zbk)', async (t) => {
  t.is(await readFile(`${ROOT}ports/sysutils/zbk/files/zbk.in`, 'utf8'), await readFile(SCRIPT, 'utf8'));
});

test('zbk_stop_wait is the number zbk configtest checks stop_timeout against', async (t) => {
  const text = await readFile(SCRIPT, 'utf8');
  const m = /^zbk_stop_wait=(\d+)$/m.exec(text);
  t.truthy(m, 'rc.d/zbk sets zbk_stop_wait on a line of its own');
  t.is(Number(m?.[1]), RC_STOP_WAIT_S);
  // Set after load_rc_config: rc.conf cannot make it disagree with zbk.
  t.true(text.indexOf('load_rc_config $name') < text.indexOf('zbk_stop_wait='));
});

/**
 * A supervisor as daemon(8) of FreeBSD 13 is one: it passes SIGTERM on to its child and exits at
 * once. The child (zbk's stand-in) writes its pid file and takes `childStopS` to stop, or never.
 */
async function startSupervisor(t: { teardown(fn: () => void): void }, dir: string, childStopS: number | 'never') {
  const onTerm = childStopS === 'never' ? '""' : `"sleep ${childStopS}; exit 0"`;
  const script = `
sh -c 'trap ${onTerm} TERM; while :; do sleep 0.1; done' &
child=$!
echo "$child" > "${dir}/zbk.pid"
trap 'kill -TERM $child; exit 0' TERM
while :; do sleep 0.1; done
`;
  const supervisor = execa('sh', ['-c', script], { reject: false, stdin: 'ignore', detached: true });
  t.teardown(() => {
    try {
      process.kill(-supervisor.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  });
  const pidFile = join(dir, 'zbk.pid');
  for (let i = 0; i < 100 && !(await readFile(pidFile, 'utf8').catch(() => '')).endsWith('\n'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const child = Number((await readFile(pidFile, 'utf8')).trim());
  return { supervisor: supervisor.pid!, child };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('stop waits for zbk too when the supervisor exits at once (daemon(8) of FreeBSD 13)', async (t) => {
  const h = await harness(t, { waitS: 10 });
  const p = await startSupervisor(t, h.dir, 2);
  const t0 = Date.now();
  const r = await h.run('stop_cmd', `zbk_enable="YES"\nrc_pid=${p.supervisor}\n`);
  t.is(r.exitCode, 0, r.stderr);
  t.is(r.stdout, 'Stopping zbk.');
  t.true(Date.now() - t0 >= 1500, `returned after ${Date.now() - t0} ms, when zbk had stopped`);
  t.false(alive(p.child));
});

test('stop gives up after zbk_stop_wait seconds, says so, and kills nothing', async (t) => {
  const h = await harness(t, { waitS: 2 });
  const p = await startSupervisor(t, h.dir, 'never');
  const r = await h.run('stop_cmd', `zbk_enable="YES"\nrc_pid=${p.supervisor}\n`);
  t.is(r.exitCode, 1);
  t.is(r.stderr, `zbk still running after 2 seconds (pid ${p.child}); see its log.`);
  t.true(alive(p.child), 'zbk is left running, not killed');
});

test('stop of a service that is not running says so; at shutdown (faststop) it is quiet', async (t) => {
  const h = await harness(t, { waitS: 2 });
  const r = await h.run('stop_cmd', 'zbk_enable="YES"\n');
  t.is(r.exitCode, 1);
  t.regex(r.stderr, /^zbk not running\? \(check .*daemon\.pid\)\.$/);
  const fast = await h.run('stop_cmd', 'zbk_enable="YES"\nrc_fast=yes\n');
  t.is(fast.exitCode, 0);
  t.is(fast.stderr + fast.stdout, '');
});
