import { fold } from 'milestone-escrow';
import { loadLongPrefix, loadRealistic } from './data.js';
import { checkBaselineAgrees, foldLong, foldRealistic, validation } from './workloads/fold.js';

const log = (line: string): void => void process.stderr.write(line + '\n');

async function main(): Promise<void> {
  const jobs = await loadRealistic(Number(process.env.JOBS ?? 100_000));
  const long = await loadLongPrefix(Number(process.env.LONG ?? 200_000), 1_000_000);
  log(`jobs ${jobs.length}, long ${long.length}`);
  checkBaselineAgrees(jobs.slice(0, 1000));
  checkBaselineAgrees([long]);
  keepAlive(fold(long));
  const o = { rounds: 3, warmup: 1, log, immer: true, verify: true, immerWindow: 1000 };
  console.log(JSON.stringify(foldRealistic(jobs, o).ratios));
  console.log(JSON.stringify(foldLong(long, o).ratios));
  console.log(JSON.stringify(validation('realistic', jobs, o).ratios));
  console.log(JSON.stringify(validation('long', [long], o).ratios));
}
function keepAlive(_: unknown): void {}
void main();
