/** `zbk scrub-report`: not built yet. */
import { EXIT } from '../cli/exit.js';

export async function run(): Promise<number> {
  process.stderr.write('zbk scrub-report: not built yet\n');
  return EXIT.failed;
}
