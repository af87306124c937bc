import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { NotificationDispatcher } from '../../src/postgres/dispatcher.js';
import {
  createTimerRunner,
  type TimerRunner,
  type TimerRunnerOptions,
} from '../../src/postgres/timers.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import {
  type DispatcherOptions,
  driveJobs,
  openDispatcher,
  openTestDatabase,
  type TestDatabase,
} from './database.js';

/*
 * The live parts used as a hostile user (or a hostile provider) would (hostile9): what a failed
 * `send` rejects with, a clock that is not `Date.now()`, query arguments of the wrong kind. Each
 * case failed before its fix: a TypeError or a driver's error, or a notification tried for ever.
 * The cases are split by topic over test/postgres/hostile-*.test.ts; this is their one setup.
 */

/** What each hostile-*.test.ts case works with; `db` and `clock` are read once the hooks ran. */
export interface HostileSetup {
  /** The file's own schema, open for the whole file. */
  readonly db: TestDatabase;
  /** A fake clock, new for each test. */
  readonly clock: FakeClock;
  /** The live parts a test opened: each is stopped after the test. */
  readonly opened: { stop(): Promise<void> }[];
  /** A notifications dispatcher on the test database and clock, stopped after the test. */
  dispatcher(options: DispatcherOptions): NotificationDispatcher;
  /** A timer runner on the test database and clock with a command handler, or `overrides`. */
  timers(overrides?: Partial<TimerRunnerOptions>): TimerRunner;
  /** Job 0 of examples/live/jobs.ts (its outbox holds several notifications). */
  drive(): Promise<void>;
}

/**
 * Registers the hooks of a hostile-*.test.ts file in the `describe` that calls it: a schema of its
 * own (`label`), emptied before each test, and every live part stopped after it.
 */
export function hostileSetup(label: string): HostileSetup {
  let db: TestDatabase | undefined;
  let clock: FakeClock | undefined;
  const opened: { stop(): Promise<void> }[] = [];
  const setup: HostileSetup = {
    get db() {
      if (db === undefined) throw new Error('the test database opens in beforeAll');
      return db;
    },
    get clock() {
      if (clock === undefined) throw new Error('the clock is made in beforeEach');
      return clock;
    },
    opened,
    dispatcher: (options) => openDispatcher(setup.db, setup.clock, opened, options),
    timers(overrides = {}) {
      const timers = createTimerRunner({
        store: setup.db.store(),
        pool: setup.db.pool,
        schema: setup.db.schema,
        handler: createCommandHandler({ store: setup.db.store() }),
        clock: setup.clock,
        ...overrides,
      });
      opened.push(timers);
      return timers;
    },
    drive: () => driveJobs(setup.db, [0]),
  };
  beforeAll(async () => {
    db = await openTestDatabase(label, 12);
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    clock = createFakeClock();
    await setup.dispatcher({ send: () => Promise.resolve() }).migrate();
    await setup.db.truncate('notification_deliveries', 'consumer_checkpoints', 'timer_deadlines');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.stop()));
  });
  return setup;
}
