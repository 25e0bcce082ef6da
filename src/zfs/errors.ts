/** Typed failures of zfs(8) and zpool(8), with messages an admin can act on. */
type ZfsErrorKind =
  | 'not-installed'
  | 'daemon-not-running'
  | 'no-such-dataset'
  | 'no-such-pool'
  | 'permission-denied'
  | 'busy'
  | 'exists'
  | 'argument-list-too-long'
  | 'output-too-large'
  | 'unsupported'
  | 'missing-argument'
  | 'destination-modified'
  | 'no-incremental-source'
  | 'destination-exists'
  | 'failed';

export class ZfsError extends Error {
  override readonly name = 'ZfsError';
  constructor(
    readonly kind: ZfsErrorKind,
    message: string,
    readonly argv: readonly string[] = [],
    readonly stderr = '',
  ) {
    super(message);
  }
}

const PATTERNS: ReadonlyArray<readonly [RegExp, ZfsErrorKind]> = [
  // zfs receive's refusals, before the general ones ("destination already exists" is one of these);
  // zfs breaks these messages over two lines.
  [/has been modified\s+since most recent snapshot/i, 'destination-modified'],
  [/does not\s+match incremental source|incremental source \S+ does not exist|destination '?\S+?'? does not exist/i, 'no-incremental-source'],
  [/must specify -F to overwrite it|must destroy (it|them) to overwrite it|cannot restore to \S+: destination already exists/i, 'destination-exists'],
  [/zfs-fuse daemon is running|failed to initialize ZFS library|\/dev\/zfs.*(No such file|does not exist)/i, 'daemon-not-running'],
  [/dataset does not exist|could not find any snapshots to destroy/i, 'no-such-dataset'],
  [/no such pool/i, 'no-such-pool'],
  [/permission denied|not permitted|insufficient privileges/i, 'permission-denied'],
  [/dataset is busy|pool is busy|device busy/i, 'busy'],
  [/dataset already exists|already exists/i, 'exists'],
  [/invalid option|unrecognized (command|option)|too many arguments|invalid (property|dataset name|type)/i, 'unsupported'],
  // zfs-fuse hands `zfs holds`, `allow` and `userspace` to a Python helper it does not ship (on stdout, exit 255).
  [/internal error: \S*\/pyzfs\.py not found/, 'unsupported'],
  // After the options were read: a probe's proof that they were taken.
  [/^missing \w+ argument/im, 'missing-argument'],
];

/** Maps a failed command's stderr onto an error kind. */
export function classifyStderr(stderr: string): ZfsErrorKind {
  for (const [re, kind] of PATTERNS) if (re.test(stderr)) return kind;
  return 'failed';
}

/** The first meaningful line of zfs's complaint, without its usage text. */
export function firstComplaint(stderr: string): string {
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^usage:/i.test(l));
  return line ?? 'no message';
}

const HINT: Partial<Record<ZfsErrorKind, string>> = {
  'daemon-not-running': ' (is the ZFS kernel module loaded, or on Linux the zfs-fuse daemon running? start it with `zfs-fuse`)',
  'permission-denied': ' (run zbk as root, or delegate the needed permissions with `zfs allow`)',
};

export function errorFromFailure(argv: readonly string[], stderr: string): ZfsError {
  const kind = classifyStderr(stderr);
  const msg = `${argv.join(' ')}: ${firstComplaint(stderr)}${HINT[kind] ?? ''}`;
  return new ZfsError(kind, msg, argv, stderr);
}
