/*
 * The handle workload's app: the handler as an app configures it (the in-memory event store, an
 * in-memory or JSON-text snapshot store, a snapshot every 100 events), and seeding a job into it.
 */
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  fold,
  type CommandHandler,
  type EventStore,
  type JobEvent,
  type JobState,
  type SnapshotStore,
} from 'milestone-escrow';
import { JOB_SNAPSHOT_VERSION, serializeState, type Snapshot } from 'milestone-escrow/store';

export interface App {
  readonly store: EventStore;
  readonly snapshots: SnapshotStore;
  readonly handler: CommandHandler;
  snapshotsTaken: number;
}

/**
 * Snapshots kept as JSON text, as a database keeps them: every load parses the whole state (the
 * in-memory store keeps the frozen state itself, which a load shares). The state is handed over
 * as its text, as the PostgreSQL snapshot store does (`state::text`): the handler parses it once.
 */
function jsonSnapshotStore(): SnapshotStore {
  // The state's text apart from the rest, as a database row keeps it (a `json` column).
  const texts = new Map<string, { version: number; meta: string; state: string }[]>();
  return {
    save: (snapshot) => {
      const list = (texts.get(snapshot.streamId) ?? []).filter(
        (x) => x.version !== snapshot.version,
      );
      list.push({
        version: snapshot.version,
        meta: JSON.stringify({ ...snapshot, state: null }),
        state: serializeState(snapshot.state as JobState),
      });
      list.sort((a, b) => b.version - a.version);
      texts.set(snapshot.streamId, list.slice(0, 3));
      return Promise.resolve();
    },
    load: (streamId, options = {}) => {
      const limit = options.atOrBefore ?? Number.POSITIVE_INFINITY;
      const found = texts.get(streamId)?.find((x) => x.version <= limit);
      if (found === undefined) return Promise.resolve(undefined);
      return Promise.resolve({ ...(JSON.parse(found.meta) as Snapshot), state: found.state });
    },
  };
}

/**
 * `cacheSize` 0: every command loads its job (snapshot + the events after it); undefined: the
 * handler's default cache. `snapshotsAs` 'json': snapshots are kept as JSON text (see above).
 */
export function newApp(cacheSize?: number, snapshotsAs: 'state' | 'json' = 'state'): App {
  const store = createInMemoryEventStore();
  const inner = snapshotsAs === 'json' ? jsonSnapshotStore() : createInMemorySnapshotStore();
  const app: App = {
    store,
    snapshots: {
      save: (s) => {
        app.snapshotsTaken += 1;
        return inner.save(s);
      },
      load: (id, o) => inner.load(id, o),
    },
    handler: undefined as unknown as CommandHandler,
    snapshotsTaken: 0,
  };
  (app as { handler: CommandHandler }).handler = createCommandHandler({
    store,
    snapshots: app.snapshots,
    snapshotEvery: 100,
    ...(cacheSize === undefined ? {} : { cacheSize }),
  });
  return app;
}

/** Writes a history into the store (and a snapshot at its end); returns the job's state. */
export async function seed(
  app: App,
  jobId: string,
  events: readonly JobEvent[],
  snapshot: boolean,
): Promise<JobState> {
  const streamId = app.handler.streamIdOf(jobId);
  for (let i = 0; i < events.length; i += 10_000) {
    await app.store.appendToStream(streamId, events.slice(i, i + 10_000), {
      expectedVersion: i === 0 ? 'no-stream' : i,
    });
  }
  const state = fold(events);
  if (snapshot) {
    await app.snapshots.save({
      streamId,
      version: state.version,
      snapshotVersion: JOB_SNAPSHOT_VERSION,
      state,
      idempotency: [],
      takenAt: '2030-01-01T00:00:00Z',
    });
    app.snapshotsTaken -= 1;
  }
  return state;
}
