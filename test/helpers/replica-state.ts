/**
 * The replicating setup the tests of replica states share: job web (tank/backup/web)
 * replicating to target offsite (over ssh, vault/zbk) and target usb (a local pool, usb/zbk),
 * and replica states of it as `zbk replicate` writes them.
 */
import type { ReplicaCopy, ReplicaState } from '../../src/state/replicas.js';

export interface WebConfig {
  /** Before the [[job]] tables: [zbk], [retention.*]. */
  readonly head?: string;
  /** More [[job]] tables after web's. */
  readonly jobs?: string;
  /** More lines of target offsite, and of target usb. */
  readonly offsite?: string;
  readonly usb?: string;
  /** More [[target]] tables after usb. */
  readonly targets?: string;
}

/** The config's TOML. */
export const webConfig = (o: WebConfig = {}): string => `${o.head ?? ''}
[[job]]
name = "web"
dataset = "tank/backup/web"
replicate = ["offsite", "usb"]
${o.jobs ?? ''}
[[target]]
name = "offsite"
host = "zbk@vault.example.com"
dataset = "vault/zbk"
${o.offsite ?? ''}
[[target]]
name = "usb"
dataset = "usb/zbk"
${o.usb ?? ''}${o.targets ?? ''}`;

/** A copy of snapshot `name` (zbk_YYYY-MM-DDTHHMMSSZ), its time read from the name. */
export const copyOf = (name: string, guid = '4711'): ReplicaCopy => ({
  name, guid, time: `${name.slice(4, 17)}:${name.slice(17, 19)}:${name.slice(19, 21)}Z`,
});

/** The state of `job` toward `target` (received under vault/zbk unless `fields` say otherwise): never replicated, but for `fields`. */
export const replicaState = (job: string, target: string, fields: Partial<ReplicaState> = {}): ReplicaState => ({
  job, target, source: `tank/backup/${job}`, destination: `vault/zbk/${job}`,
  base: null, delivered: [], holds: [], lastAttempt: null, lastSuccess: null,
  ...fields,
});
