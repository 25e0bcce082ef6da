import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { jobTimeoutMs, syncJob } from '../../src/jobs/sync-job.js';
import { job, parsedSource } from '../helpers/config.js';

test('the job\'s rsync settings, for the pull and the restore alike; unset keys left out, no timeout an infinite one', async (t) => {
  const [parsed] = (await parseConfig(job(''), '/etc/zbk.toml')).jobs;
  const plain = { ...parsed!, timeout: null };
  const source = parsedSource('vds:/');
  t.deepEqual(syncJob(plain, source), { source, exclude: plain.exclude, rsyncArgs: plain.rsyncArgs, timeoutMs: Number.POSITIVE_INFINITY, sshPort: plain.sshPort });
  t.false('sshKey' in syncJob(plain, source), 'an unset key is absent, not undefined');

  const [full] = (await parseConfig(job('timeout = "2h"\nssh_key = "/root/.ssh/zbk"\nknown_hosts = "/root/.ssh/known_hosts"\nssh_port = 2222'), '/etc/zbk.toml')).jobs;
  t.is(jobTimeoutMs(full!), 2 * 3600_000);
  t.like(syncJob(full!, source), { timeoutMs: 2 * 3600_000, sshKey: '/root/.ssh/zbk', knownHosts: '/root/.ssh/known_hosts', sshPort: 2222 });
});
