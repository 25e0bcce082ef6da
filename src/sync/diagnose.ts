/**
 * What a failed pull means, in one line that says what to do. Pure: rsync's (or ssh's)
 * stderr and exit code, and the job's transport facts, in; a diagnosis with its fix, or
 * null when zbk does not recognise the failure (rsync's own words then stand alone).
 *
 * The patterns are the real texts of OpenSSH 9 and rsync 3.x, captured in fixtures/rsync/
 * (fixtures/README.md). The first rule that matches wins, so the specific come first: a
 * missing or unprotected key also ends in "Permission denied (publickey)", a changed host
 * key also in "Host key verification failed".
 */
import { shellWord } from '../util/shell-word.js';
import type { Source } from './source.js';

/** The job as far as reaching its source goes (a config Job has these fields). */
export interface TransportJob {
  readonly source: Source | null;
  readonly sshKey: string | null;
  readonly sshPort: number;
  readonly knownHosts: string | null;
  readonly passwordFile: string | null;
}

export interface TransportFacts {
  readonly source: Source;
  readonly sshKey: string | null;
  readonly sshPort: number;
  /** The known_hosts file ssh reads: the job's, else ~/.ssh/known_hosts of the user zbk runs as. */
  readonly knownHosts: string;
  readonly passwordFile: string | null;
}

/** The facts of a job, or null for a snapshot-only job. */
export function transportFacts(job: TransportJob, home: string): TransportFacts | null {
  if (job.source === null) return null;
  return {
    source: job.source,
    sshKey: job.sshKey,
    sshPort: job.sshPort,
    knownHosts: job.knownHosts ?? `${home.replace(/\/+$/, '')}/.ssh/known_hosts`,
    passwordFile: job.passwordFile,
  };
}


const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
const port = (f: TransportFacts) => (f.source.kind === 'daemon' ? (f.source.port ?? 873) : f.sshPort);
const host = (f: TransportFacts) => (f.source.kind === 'local' ? 'localhost' : bare(f.source.host));
/** host:port as people write it ([::1]:22 for IPv6). */
const hostPort = (f: TransportFacts) => `${host(f).includes(':') ? `[${host(f)}]` : host(f)}:${port(f)}`;
/** The host as known_hosts and `ssh-keygen -F/-R` name it: `[host]:port` unless the port is 22. */
export function knownHostsName(f: TransportFacts): string {
  return port(f) === 22 ? host(f) : `[${host(f)}]:${port(f)}`;
}
const user = (f: TransportFacts) => (f.source.kind !== 'local' && f.source.user !== null ? f.source.user : null);
const login = (f: TransportFacts) => user(f) ?? 'the user zbk runs as';

/** The command that records the host's key: what to run when it is not in known_hosts. */
export function keyscanCommand(f: TransportFacts): string {
  return `ssh-keyscan -p ${port(f)} ${shellWord(host(f))} >> ${shellWord(f.knownHosts)}`;
}

/** How to record a host's key: scan it, then compare its fingerprint with the host's own. */
export function hostKeyFix(f: TransportFacts): string {
  return `run \`${keyscanCommand(f)}\`, ` +
    `then check that \`ssh-keygen -lf ${shellWord(f.knownHosts)}\` shows the fingerprint the host itself shows (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` there)`;
}

export function hostKeyUnknown(f: TransportFacts): string {
  return `the host key of ${hostPort(f)} is not in ${f.knownHosts}: ${hostKeyFix(f)}`;
}

export function keyFileMissing(file: string): string {
  return `ssh_key ${file} does not exist: make one with \`ssh-keygen -t ed25519 -N '' -f ${shellWord(file)}\` and add ${file}.pub to the host's authorized_keys`;
}

export function keyFileOpen(file: string): string {
  // ssh ignores a key with any group or other bit (`mode & 077`), whichever it is.
  return `ssh_key ${file} is open to others than its owner, and ssh ignores such a key: run \`chmod 600 ${shellWord(file)}\``;
}

/** rsync refuses a password file that others may read or write (`mode & 006`); `how` says which, where the mode is known. */
export function passwordFileOpen(file: string, how: 'readable' | 'writable' | 'executable' | 'readable or writable' = 'readable or writable'): string {
  return `password_file ${file} is ${how} by others, and rsync refuses it: run \`chmod 600 ${shellWord(file)}\``;
}

export function passwordFileNotRoot(file: string): string {
  return `password_file ${file} must be owned by root, as zbk runs as root (rsync refuses it): run \`chown root ${shellWord(file)}\``;
}

export function sourcePathMissing(f: TransportFacts, path: string): string {
  switch (f.source.kind) {
    case 'local':
      return `the source directory ${path} does not exist: fix source, or create it`;
    case 'ssh':
      return `the source path ${path} does not exist on ${host(f)}: fix the path in source (${host(f)}:/path/)`;
    case 'daemon':
      return `the path ${path} does not exist in module ${f.source.module} on ${host(f)}: fix the path in source (rsync://${host(f)}/${f.source.module}/path/)`;
  }
}

type Rule = readonly [RegExp, (m: RegExpExecArray, f: TransportFacts) => string];

const RULES: readonly Rule[] = [
  // ssh: the host key
  [/REMOTE HOST IDENTIFICATION HAS CHANGED|^Host key for \S+ has changed/m, (_, f) =>
    `the host key of ${hostPort(f)} has CHANGED since it was recorded in ${f.knownHosts} (a reinstalled host, or someone in the middle): ` +
    `verify the new key on the host itself (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` there), ` +
    `then remove the old line with \`ssh-keygen -R ${shellWord(knownHostsName(f))} -f ${shellWord(f.knownHosts)}\` and add the verified key`],
  [/^No \S+ host key is known for |^Host key verification failed/m, (_, f) => hostKeyUnknown(f)],
  // ssh: the client key
  [/^Warning: Identity file (.+) not accessible: No such file or directory/m, (m) => keyFileMissing(m[1]!)],
  [/^Warning: Identity file (.+) not accessible: (.+?)\.?$/m, (m) => `ssh_key ${m[1]} cannot be read (${m[2]}): zbk runs ssh as root; check the file's owner and mode`],
  [/^Permissions \S+ for '(.+)' are too open|^Load key "(.+)": bad permissions/m, (m) => keyFileOpen(m[1] ?? m[2]!)],
  [/^(?:\S+: )?Permission denied \(([^)\n]*)\)/m, (m, f) =>
    `${host(f)} refused the login of ${login(f)} (Permission denied (${m[1]})): ` +
    (f.sshKey === null
      ? 'no ssh_key is set, and none of the default keys of the user zbk runs as is authorized there; set ssh_key, and add its .pub to the authorized_keys there'
      : `add ${f.sshKey}.pub to ~${user(f) ?? ''}/.ssh/authorized_keys on ${host(f)}, or set ssh_key to a key that is there`)],
  // ssh: reaching the host
  [/^ssh: connect to host (\S+) port (\d+): Connection refused/m, (m) =>
    `nothing accepts connections on ${m[1]} port ${m[2]} (connection refused): check ssh_port, and that sshd runs on ${m[1]}`],
  [/^ssh: connect to host (\S+) port (\d+): (No route to host|Network is unreachable)/m, (m) =>
    `${m[1]} cannot be reached (${m[3]!.toLowerCase()}): check the host in source, and the network and firewalls between here and there`],
  [/^ssh: connect to host (\S+) port (\d+): (?:Operation|Connection) timed out/m, (m) =>
    `${m[1]} port ${m[2]} did not answer (connection timed out): the host is down, or a firewall drops that port; check ssh_port`],
  [/^Connection timed out during banner exchange|^kex_exchange_identification: /m, (_, f) =>
    `${hostPort(f)} took the connection but no ssh server answered: is ${port(f)} the port sshd listens on (ssh_port)? A busy sshd (MaxStartups) does this too`],
  [/^ssh: Could not resolve hostname (\S+): (.+?)\r?$/m, (m) =>
    `cannot resolve the host name ${m[1]} (${m[2]}): check the host in source, and this machine's DNS (/etc/resolv.conf)`],
  [/^rsync: getaddrinfo: (\S+) \d+: (.+)$/m, (m) =>
    `cannot resolve the host name ${m[1]} (${m[2]}): check the host in source, and this machine's DNS (/etc/resolv.conf)`],
  // the other end
  [/^(?:[^:\n]+: )*(\S*rsync\S*): (?:command )?not found\.?$/im, (m, f) =>
    `${m[1]} is not installed on ${host(f)} (or not on the PATH of ${login(f)} there): install rsync there (FreeBSD: pkg install rsync)`],
  [/change_dir "(.+?)"(?: \(in \S+\))? failed: No such file or directory/, (m, f) =>
    sourcePathMissing(f, f.source.kind === 'daemon' ? `/${m[1]}` : m[1]!)],
  [/change_dir "(.+?)"(?: \(in \S+\))? failed: Permission denied/, (m, f) =>
    `${login(f)} may not read ${m[1]} on ${host(f)}: pull as a user who may (usually root@)`],
  // rsync daemons
  [/failed to connect to (\S+) \(([^)\n]*)\): Connection refused/, (_, f) =>
    `nothing accepts rsync daemon connections on ${hostPort(f)} (connection refused): check the port in source (rsync://host:PORT/module/), and that \`rsync --daemon\` runs there`],
  [/failed to connect to (\S+) \(([^)\n]*)\): (.+?) \(\d+\)/, (m, f) =>
    `cannot reach the rsync daemon on ${hostPort(f)} (${m[3]!.toLowerCase()}): check the host and port in source, and the firewalls between here and there`],
  [/^@ERROR: Unknown module '(.*)'/m, (m, f) =>
    `the rsync daemon on ${hostPort(f)} has no module "${m[1]}": list its modules with \`rsync rsync://${hostPort(f)}/\` and fix source`],
  [/^@ERROR: auth failed on module (\S+)/m, (m, f) =>
    f.passwordFile === null
      ? `the rsync daemon on ${hostPort(f)} wants a password for module ${m[1]}: set password_file to a file (mode 600) that holds it`
      : `the rsync daemon on ${hostPort(f)} refused the password of ${login(f)} for module ${m[1]}: ` +
        `the first line of password_file ${f.passwordFile} must be that user's password in the daemon's secrets file`],
  [/^@ERROR: access denied to (\S+) from (.+)$/m, (m, f) =>
    `the rsync daemon on ${hostPort(f)} does not let ${m[2]} into module ${m[1]}: add this machine to the module's \`hosts allow\` in rsyncd.conf there`],
  [/^@ERROR: max connections \((-?\d+)\) reached/m, (m, f) =>
    `module ${f.source.kind === 'daemon' ? f.source.module : ''} on ${hostPort(f)} is at its max connections (${m[1]}): a later run may get in, or raise \`max connections\` in rsyncd.conf there (0 is no limit, a negative number closes the module)`],
  [/^ERROR: password file must not be other-accessible/m, (_, f) => passwordFileOpen(f.passwordFile ?? 'password_file')],
  [/^ERROR: password file must be owned by root/m, (_, f) => passwordFileNotRoot(f.passwordFile ?? '')],
  [/^@ERROR: (.+)$/m, (m, f) => `the rsync daemon on ${hostPort(f)} refused: ${m[1]}`],
];

/** The diagnosis of a failure, or null when zbk does not recognise it. */
export function diagnose(stderr: string, facts: TransportFacts): string | null {
  const text = stderr.replaceAll('\r', '');
  for (const [re, say] of RULES) {
    const m = re.exec(text);
    if (m) return say(m, facts);
  }
  return null;
}

/**
 * A failed pull's message for the admin: zbk's diagnosis on the first line, then rsync's
 * own message (`verdict.message`, which quotes rsync's last words) unchanged.
 */
export function explainRsyncFailure(verdict: { readonly message: string }, stderr: string, job: TransportJob, home: string): string {
  const facts = transportFacts(job, home);
  const diagnosis = facts === null ? null : diagnose(stderr, facts);
  return diagnosis === null ? verdict.message : `${diagnosis}\n${verdict.message}`;
}
