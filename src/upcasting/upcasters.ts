import {
  JOB_EVENT_TYPES,
  parseEvent,
  type EventOf,
  type JobEvent,
  type JobEventType,
} from '../domain/events.js';
import { DomainError, fail, isDomainError } from '../domain/shared/errors.js';
import { describe, excerpt, isInstance, isRecord, thrownText } from '../domain/shared/parse.js';
import {
  booleanOption,
  functionOption,
  optionalFunctionOption,
  versionOption,
} from '../shared/options.js';

const EVENT_TYPES: ReadonlySet<string> = new Set(JOB_EVENT_TYPES);

/*
 * Upcasting: each event type's data shape has a schema version (1 until it first changes). The
 * store records the version an event was written with; on read, a chain of upcasters turns an
 * older shape into today's, one version at a time (v1 → v2 → v3), and the result is validated
 * against today's schema. An old value that cannot be converted exactly is rejected, never
 * guessed. See docs/app.md, "Adding an upcaster".
 */

type Step = (data: unknown) => unknown;

/**
 * The upcasters of one event type, from the oldest stored version it reads (`since`) to the
 * current one (`since` + the number of steps). Built with {@link upcasterChain} and `.then`;
 * each step is typed by the previous step's output.
 * @category Upcasting
 */
export class UpcasterChain<T extends string, D> {
  /**
   * Type only (no value at run time): the data shape this chain produces, held invariantly so that
   * registration demands exactly today's shape, not a wider or narrower one.
   */
  declare readonly output: (data: D) => D;

  /** @internal */
  constructor(
    readonly type: T,
    readonly since: number,
    private readonly parsers: ReadonlyMap<number, Step>,
    private readonly steps: readonly Step[],
  ) {}

  /** The schema version this chain produces: today's, once it is registered. */
  get currentVersion(): number {
    return this.since + this.steps.length;
  }

  /**
   * Adds the next version. `upcast` turns data of the chain's last version into the next one and
   * throws (any error) on a value it cannot convert exactly. `parse`, if given, validates data
   * stored at the new version before the later steps read it.
   */
  then<N>(upcast: (data: D) => N, parse?: (raw: unknown) => N): UpcasterChain<T, N> {
    functionOption(upcast, 'upcast');
    optionalFunctionOption(parse, 'parse');
    const parsers = new Map(this.parsers);
    if (parse !== undefined) parsers.set(this.currentVersion + 1, parse);
    return new UpcasterChain<T, N>(this.type, this.since, parsers, [...this.steps, upcast as Step]);
  }

  /** Upcasts data stored at `version` to the current version (throws on a bad value). */
  run(data: unknown, version: number): unknown {
    let value = data;
    const parse = this.parsers.get(version);
    if (parse !== undefined) value = parse(value);
    for (let v = version; v < this.currentVersion; v++) {
      value = (this.steps[v - this.since] as Step)(value);
    }
    return value;
  }
}

/**
 * Starts the upcasters of an event type at the oldest version still stored: `parse` validates
 * data stored at that version and types it for the first step.
 *
 * @example
 * ```ts
 * import { createUpcasters, upcasterChain, type MilestoneFunded } from 'milestone-escrow';
 *
 * // Version 1 of MilestoneFunded stored the amount as a string of dollars ("75.00").
 * type FundedV1 = Omit<MilestoneFunded['data'], 'amount'> & { amount: string };
 * const parseV1 = (raw: unknown): FundedV1 => raw as FundedV1; // validate it for real (valibot, zod...)
 *
 * const upcasters = createUpcasters(
 *   upcasterChain('MilestoneFunded', 1, parseV1).then((v1): MilestoneFunded['data'] => ({ ...v1, amount: Math.round(Number(v1.amount) * 100) })),
 * );
 * const stored = { type: 'MilestoneFunded', data: { milestoneId: 'm1', fundingId: 'f1', amount: '75.00', source: 'card:visa-4242', at: '2014-11-03T09:10:00Z' }, metadata: { schemaVersion: 1 } };
 * console.log(upcasters.upcast(stored).data); // { ..., amount: 7500, ... }
 * ```
 * @category Upcasting
 */
export function upcasterChain<T extends JobEventType, D>(
  type: T,
  since: number,
  parse: (raw: unknown) => D,
): UpcasterChain<T, D> {
  // Checked here, not at the first stored event it meets: a chain is built once, at start-up.
  const given: unknown = type;
  if (!(JOB_EVENT_TYPES as readonly unknown[]).includes(given))
    fail(
      'INVALID_INPUT',
      `type must be one of ${JOB_EVENT_TYPES.join(', ')}, not ${describe(given)}`,
      {
        path: 'type',
      },
    );
  versionOption(since, 'since');
  functionOption(parse, 'parse');
  return new UpcasterChain<T, D>(type, since, new Map([[since, parse]]), []);
}

/**
 * An upcaster chain that ends in today's data shape of its event type.
 * @category Upcasting
 */
export type CompleteUpcasterChain<T extends JobEventType = JobEventType> = T extends JobEventType
  ? UpcasterChain<T, EventOf<T>['data']>
  : never;

/**
 * An event as a store or a file holds it: its data may be an older shape.
 * @category Upcasting
 */
export interface StoredEventLike {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?:
    { readonly schemaVersion?: unknown; readonly [key: string]: unknown } | undefined;
}

/**
 * Options of {@link Upcasters.upcast}.
 * @category Upcasting
 */
export interface UpcastOptions {
  /**
   * Validate events already at the current version too (`parseEvent`). Upcast events are always
   * validated. Default false: events the app wrote itself are trusted.
   */
  readonly validate?: boolean;
}

/**
 * The registered upcasters: today's schema version of each event type, and the way there.
 * @category Upcasting
 */
export interface Upcasters {
  /** The schema version events of this type are written with today (1 unless a chain says more). */
  currentVersion(type: string): number;
  /**
   * Turns a stored event into today's `{ type, data }` (its metadata left behind: the domain never
   * sees it). An event without `metadata.schemaVersion` is taken to be of the current version.
   * Throws `INVALID_INPUT` for a value no upcaster can convert exactly, a version newer than
   * today's or older than the oldest chain reads.
   */
  upcast(event: StoredEventLike, options?: UpcastOptions): JobEvent;
}

function wrapped(error: unknown, type: string, version: number, stage: string): DomainError {
  const inner = isDomainError(error) ? error.details : {};
  return new DomainError(
    'INVALID_INPUT',
    `${type} v${String(version)} ${stage}: ${thrownText(error)}`,
    {
      ...inner,
      eventType: type,
      schemaVersion: version,
    },
  );
}

/** A stored event whose fields cannot be read (a getter or a proxy that throws). */
function unreadable(error: unknown): never {
  return fail('INVALID_INPUT', `an event that cannot be read: ${excerpt(thrownText(error))}`, {
    path: '',
  });
}

/**
 * `upcast`'s `validate`, read once and checked: `null` or a string as the options was a TypeError,
 * and a `validate` of `'yes'` silently did not validate.
 */
function validateOf(options: unknown): boolean {
  if (!isRecord(options))
    fail(
      'INVALID_INPUT',
      `upcast's options must be an object such as { validate: true } (or left out), not ${describe(options)}`,
      { path: 'options' },
    );
  let validate: unknown;
  try {
    validate = (options as UpcastOptions).validate;
  } catch (error) {
    fail('INVALID_INPUT', `upcast's options cannot be read: ${thrownText(error)}`, {
      path: 'validate',
    });
  }
  return booleanOption(validate, 'validate', false);
}

/** Data stored at an older version than today's, through its chain, validated as today's. */
function upcastOlder(
  chain: UpcasterChain<string, unknown> | undefined,
  given: string,
  data: unknown,
  stored: number,
  current: number,
): JobEvent {
  if (chain === undefined || stored < chain.since) {
    throw new DomainError(
      'INVALID_INPUT',
      `${excerpt(given)} v${String(stored)}: no upcaster reads this version`,
      {
        path: 'metadata.schemaVersion',
        eventType: excerpt(given),
        schemaVersion: stored,
      },
    );
  }
  let upcast: unknown;
  try {
    upcast = chain.run(data, stored);
  } catch (error) {
    throw wrapped(error, given, stored, 'cannot be upcast');
  }
  try {
    return parseEvent({ type: given, data: upcast });
  } catch (error) {
    throw wrapped(error, given, stored, `upcast to v${String(current)} is not a valid event`);
  }
}

/** The chains by event type: each one made by {@link upcasterChain}, one per type at most. */
function chainsByType(
  chains: readonly CompleteUpcasterChain[],
): Map<string, UpcasterChain<string, unknown>> {
  const byType = new Map<string, UpcasterChain<string, unknown>>();
  for (const chain of chains) {
    const given: unknown = chain;
    if (!isInstance(given, UpcasterChain))
      fail(
        'INVALID_INPUT',
        `each argument must be an upcaster chain (upcasterChain(...)), not ${describe(given)}`,
        { path: 'chains' },
      );
    if (byType.has(chain.type))
      fail('INVALID_INPUT', `two upcaster chains for ${chain.type}: give one per event type`, {
        path: 'chains',
        eventType: chain.type,
      });
    byType.set(chain.type, chain as UpcasterChain<string, unknown>);
  }
  return byType;
}

/**
 * Registers upcaster chains, one per event type at most. Each chain must end in today's data
 * shape of its type (checked by the compiler).
 * @category Upcasting
 */
export function createUpcasters(...chains: readonly CompleteUpcasterChain[]): Upcasters {
  const byType = chainsByType(chains);
  const currentVersion = (type: string): number => byType.get(type)?.currentVersion ?? 1;
  return {
    currentVersion,
    upcast(event: StoredEventLike, options: UpcastOptions = {}): JobEvent {
      const validate = validateOf(options);
      // Stored events come from outside the type system: check what the type promises. Each
      // field is read once (a getter or a proxy that throws is INVALID_INPUT, not its error).
      // Read into locals, not an object: this runs for every event of every load.
      const raw: unknown = event;
      let given: unknown, data: unknown, version: unknown;
      if (typeof raw === 'object' && raw !== null) {
        try {
          given = event.type;
          data = event.data;
          version = (event.metadata as { schemaVersion?: unknown } | null | undefined)
            ?.schemaVersion;
        } catch (error) {
          unreadable(error);
        }
      }
      if (typeof given !== 'string')
        fail(
          'INVALID_INPUT',
          'an event is an object { type, data, metadata? } with a string type',
          {
            path: 'type',
          },
        );
      const current = currentVersion(given);
      const stored = version ?? current;
      // A stored type no chain knows is the store's text, of any length: cut in the messages.
      const type = excerpt(given);
      if (typeof stored !== 'number' || !Number.isSafeInteger(stored) || stored < 1) {
        throw new DomainError(
          'INVALID_INPUT',
          `${type}: metadata.schemaVersion must be a positive integer, not ${describe(stored)}`,
          {
            path: 'metadata.schemaVersion',
            eventType: type,
          },
        );
      }
      if (stored === current) {
        const plain = { type: given, data };
        if (validate) return parseEvent(plain);
        // Trusted, but of a type this library does not know (a newer app's): an Error quoting
        // the whole event came out of the fold, or a TypeError.
        if (!EVENT_TYPES.has(given))
          fail(
            'INVALID_INPUT',
            `${type} is not an event type of this library (a newer app's?); the event types are ${JOB_EVENT_TYPES.join(', ')}`,
            { path: 'type', eventType: type },
          );
        return plain as JobEvent;
      }
      if (stored > current) {
        throw new DomainError(
          'INVALID_INPUT',
          `${type} v${String(stored)} was written by a newer app: this one reads up to v${String(current)}`,
          {
            path: 'metadata.schemaVersion',
            eventType: type,
            schemaVersion: stored,
          },
        );
      }
      return upcastOlder(byType.get(given), given, data, stored, current);
    },
  };
}

/**
 * No upcasters: every event type is at version 1, as the library writes them today.
 * @category Upcasting
 */
export const currentUpcasters: Upcasters = createUpcasters();
