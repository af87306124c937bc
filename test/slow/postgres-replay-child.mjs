// Loads a job from PostgreSQL with the library's streaming load (every rule checked) and prints
// the summary with the process's peak RSS. Usage: node postgres-replay-child.mjs URL SCHEMA STREAM BATCH
import { loadJob, summarize } from '../../dist/index.js';
import { createPostgresEventStore } from '../../dist/postgres.js';

const [url, schema, streamId, batch] = process.argv.slice(2);
const store = createPostgresEventStore({ connectionString: url, schema, batchSize: Number(batch) });
const started = performance.now();
const { state, version } = await loadJob(store, streamId, { verify: true });
const ms = performance.now() - started;
await store.close();
process.stdout.write(
  JSON.stringify({
    version,
    summary: summarize(state),
    ms,
    maxRssKiB: process.resourceUsage().maxRSS,
  }) + '\n',
);
