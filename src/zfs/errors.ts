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
  [/zfs-fuse daemon is running|failed to initialize ZFS library|\/dev\/zfs.*(No such file|does not exist)/i, 'daemon-not-running'],
  [/dataset does not exist|could not find any snapshots to destroy/i, 'no-such-dataset'],
  [/no such pool/i, 'no-such-pool'],
  [/permission denied|not permitted|insufficient privileges/i, 'permission-denied'],
  [/dataset is busy|pool is busy|device busy/i, 'busy'],
  [/dataset already exists|already exists/i, 'exists'],
  [/invalid option|unrecognized (command|option)|too many arguments|invalid (property|dataset name)/i, 'unsupported'],
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
