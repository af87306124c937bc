import { fail } from './errors.js';
import { allFrozen } from './freeze.js';
import { excerpt, isRecord } from './parse.js';
import { tableEntries, tableToWorking, type IdTable } from './table.js';

/*
 * The state's shape, declared once. Each slice's state.ts declares its slice with the kinds below
 * (the compiler holds the declaration to the slice's interface: a field missing or extra is a type
 * error), and everything that must know the shape is derived from that declaration:
 *
 * - `working`: a working copy a recipe may change, sharing nothing mutable with the original;
 * - `changeable`: the copy-on-write working copy of a frozen state (only the records recipes
 *   change in place are copied; tables and values are copied when a recipe changes them);
 * - `toData` / `fromData`: the plain data snapshots store (every table a list of `[id, value]`
 *   pairs, nothing of the in-memory layout), and the validated way back;
 * - `describe`: a text of the shape, whose fingerprint the snapshot version is pinned to.
 *
 * The kinds say how a part of the state is changed: a `record` is changed in place by recipes
 * (the slices, the totals, a milestone's money), a `fact` is replaced whole or copied before it is
 * changed (the award, a milestone, a funding, the terms), a `growingList` is pushed onto, a
 * `list` never changes once made, a `table` is an id table (shared/table.ts).
 */

/** How one part of the state is copied, frozen, stored and read back. */
export interface Kind<T> {
  /** A text of the shape (the snapshot version's fingerprint is taken from it). */
  readonly describe: string;
  /** True when the value is its own plain data (no table inside): `toData` returns it as is. */
  readonly plain: boolean;
  /** True for a scalar (a number, a string, a boolean): nothing to copy or freeze. */
  readonly scalar: boolean;
  /** True for a field that may be absent. */
  readonly optional: boolean;
  /**
   * True when `value` is of this kind at its top (a record: its fields too; a table, a list or a
   * fact: only what it is): the cheap check of a state handed to a public function.
   */
  looksLike(value: unknown): boolean;
  /** A copy that shares nothing mutable with `value` (frozen facts are shared). */
  working(value: T): T;
  /** The copy-on-write working copy of a frozen value: only records are copied. */
  changeable(value: T): T;
  /** True when `value` may be shared by a working copy as it is (frozen all the way down). */
  sharable(value: T): boolean;
  /** The value as plain JSON data. */
  toData(value: T): unknown;
  /**
   * A working copy's value from plain data (which it may reuse); `INVALID_INPUT` if malformed,
   * naming where (`trail`).
   */
  fromData(data: unknown, trail: Trail): T;
}

/** The kinds of the fields of a record or a fact: one per field of `T`, none missing, none extra. */
export type Fields<T> = { readonly [K in keyof T]-?: Kind<T[K]> };

const same = <T>(value: T): T => value;

/**
 * Where the value being read back sits: the keys from the root, kept as a stack and written out
 * only in an error message. A path string made for every field read was a fifth of reading a
 * 10,000-milestone state back (its 40,000 fundings alone made 280,000 of them).
 */
export class Trail {
  readonly #keys: (string | number)[];

  constructor(root: string) {
    this.#keys = [root];
  }

  /** Steps into a field or a position (`leave` steps back out). */
  enter(key: string | number): void {
    this.#keys.push(key);
  }

  leave(): void {
    this.#keys.pop();
  }

  /** The path, as `state.escrow.milestones.3.1`. */
  toString(): string {
    return this.#keys.join('.');
  }
}

function malformed(trail: Trail, expected: string): never {
  const path = trail.toString();
  return fail('INVALID_INPUT', `a snapshot's ${path} must be ${expected}`, { path });
}

/** A number, string or boolean, checked by `test` when read back from data. */
export function scalar<T>(describe: string, test: (data: unknown) => boolean): Kind<T> {
  return {
    describe,
    plain: true,
    scalar: true,
    optional: false,
    looksLike: test,
    working: same,
    changeable: same,
    sharable: () => true,
    toData: same,
    fromData: (data, trail) => (test(data) ? (data as T) : malformed(trail, describe)),
  };
}

/** A count of events or an amount of money: a safe non-negative integer. */
export const count: Kind<number> = scalar(
  'count',
  (x) => Number.isSafeInteger(x) && (x as number) >= 0,
);
/** Any text (ids, titles, instants: the events that carried them were validated). */
export const text: Kind<string> = scalar('text', (x) => typeof x === 'string');
/** A boolean. */
export const flag: Kind<boolean> = scalar('boolean', (x) => typeof x === 'boolean');
/** `true`: the value of an id table used as a set. */
export const yes: Kind<true> = scalar('true', (x) => x === true);
/** One of a few strings. */
export function oneOf<const T extends string>(...options: readonly T[]): Kind<T> {
  return scalar(`(${options.join('|')})`, (x) => options.includes(x as T));
}

/** A value or `null`. */
export function nullable<T>(kind: Kind<T>): Kind<T | null> {
  return {
    describe: `${kind.describe}|null`,
    plain: kind.plain,
    scalar: kind.scalar,
    optional: false,
    looksLike: (v) => v === null || kind.looksLike(v),
    working: (v) => (v === null ? null : kind.working(v)),
    changeable: (v) => (v === null ? null : kind.changeable(v)),
    sharable: (v) => v === null || kind.sharable(v),
    toData: (v) => (v === null ? null : kind.toData(v)),
    fromData: (data, trail) => (data === null ? null : kind.fromData(data, trail)),
  };
}

/** A field that may be absent (never `undefined` when present). */
export function optional<T>(kind: Kind<T>): Kind<T | undefined> {
  return {
    ...(kind as unknown as Kind<T | undefined>),
    describe: `${kind.describe}?`,
    optional: true,
    looksLike: (v) => v === undefined || kind.looksLike(v),
  };
}

// The parts a record or a fact declares, ready for its methods.
function layout<T>(fields: Fields<T>) {
  const all = Object.entries<Kind<unknown>>(fields as Record<string, Kind<unknown>>);
  return {
    all,
    nested: all.filter(([, k]) => !k.scalar),
    plain: all.every(([, k]) => k.plain),
    describe: `{${all.map(([key, k]) => `${key}:${k.describe}`).join(',')}}`,
  };
}

/** Copies the fields of `value` with each field's `copy`, in the declared order. */
function copyFields(
  value: Record<string, unknown>,
  all: readonly (readonly [string, Kind<unknown>])[],
  copy: (kind: Kind<unknown>, v: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of all) {
    const v = value[key];
    if (v !== undefined || Object.prototype.hasOwnProperty.call(value, key))
      out[key] = kind.scalar ? v : copy(kind, v);
  }
  return out;
}

/** Reads a record's fields back from data, in place: every declared key, no other. */
function fieldsFromData(
  data: unknown,
  trail: Trail,
  parts: ReturnType<typeof layout>,
): Record<string, unknown> {
  if (!isRecord(data)) return malformed(trail, 'an object');
  let present = 0;
  for (const [key, kind] of parts.all) {
    trail.enter(key);
    if (!Object.prototype.hasOwnProperty.call(data, key)) {
      if (kind.optional) {
        trail.leave();
        continue;
      }
      return malformed(trail, kind.describe);
    }
    data[key] = kind.fromData(data[key], trail);
    trail.leave();
    present += 1;
  }
  if (Object.keys(data).length !== present)
    return malformed(trail, `an object of the keys ${parts.all.map(([k]) => k).join(', ')}`);
  return data;
}

/** A record's kind, with the keys it declares. */
export interface RecordKind<T> extends Kind<T> {
  /** The declared keys, in order. */
  readonly keys: readonly string[];
}

/** A part recipes change in place (a slice, the totals, a milestone's money). */
export function record<T extends object>(fields: Fields<T>): RecordKind<T> {
  const parts = layout(fields);
  const self: RecordKind<T> = {
    keys: parts.all.map(([key]) => key),
    describe: parts.describe,
    plain: parts.plain,
    scalar: false,
    optional: false,
    looksLike: (v) => isRecord(v) && parts.all.every(([key, k]) => k.looksLike(v[key])),
    working: (v) =>
      copyFields(v as Record<string, unknown>, parts.all, (k, x) => k.working(x)) as T,
    changeable: (v) =>
      copyFields(v as Record<string, unknown>, parts.all, (k, x) => k.changeable(x)) as T,
    sharable: () => false,
    toData: (v) =>
      parts.plain ? v : copyFields(v as Record<string, unknown>, parts.all, (k, x) => k.toData(x)),
    fromData: (data, trail) => fieldsFromData(data, trail, parts) as T,
  };
  return self;
}

/**
 * A part that is replaced whole, or copied before it is changed (the award, a milestone, a
 * funding, the terms): a working copy shares it once it is frozen all the way down.
 */
export function fact<T extends object>(fields: Fields<T>): Kind<T> {
  const parts = layout(fields);
  const sharable = (v: T): boolean => {
    if (!Object.isFrozen(v)) return false;
    for (const [key, kind] of parts.nested) {
      const x = (v as Record<string, unknown>)[key];
      if (x !== undefined && !kind.sharable(x)) return false;
    }
    return true;
  };
  return {
    describe: `fact${parts.describe}`,
    plain: parts.plain,
    scalar: false,
    optional: false,
    looksLike: isRecord,
    working: (v) =>
      sharable(v)
        ? v
        : (copyFields(v as Record<string, unknown>, parts.all, (k, x) => k.working(x)) as T),
    changeable: same,
    sharable,
    toData: (v) =>
      parts.plain ? v : copyFields(v as Record<string, unknown>, parts.all, (k, x) => k.toData(x)),
    fromData: (data, trail) => fieldsFromData(data, trail, parts) as T,
  };
}

function listFromData<T>(item: Kind<T>, data: unknown, trail: Trail): T[] {
  if (!Array.isArray(data)) return malformed(trail, 'a list');
  for (let i = 0; i < data.length; i++) {
    trail.enter(i);
    data[i] = item.fromData(data[i] as unknown, trail);
    trail.leave();
  }
  return data as T[];
}

/** A list that never changes once made (a proposal's milestones): shared once frozen. */
export function list<T>(item: Kind<T>): Kind<readonly T[]> {
  return {
    describe: `[${item.describe}]`,
    plain: item.plain,
    scalar: false,
    optional: false,
    looksLike: Array.isArray,
    working: (v) => (allFrozen(v as readonly object[]) ? v : v.map((x) => item.working(x))),
    changeable: same,
    sharable: (v) => allFrozen(v as readonly object[]),
    toData: (v) => (item.plain ? v : v.map((x) => item.toData(x))),
    fromData: (data, trail) => listFromData(item, data, trail),
  };
}

/** A list recipes push onto (a milestone's fundings): a working copy always has its own. */
export function growingList<T>(item: Kind<T>): Kind<readonly T[]> {
  return {
    describe: `[${item.describe}...]`,
    plain: item.plain,
    scalar: false,
    optional: false,
    looksLike: Array.isArray,
    working: (v) => {
      const out: T[] = [];
      for (const x of v) out.push(item.working(x));
      return out;
    },
    changeable: same,
    sharable: () => false,
    toData: (v) => (item.plain ? v : v.map((x) => item.toData(x))),
    fromData: (data, trail) => listFromData(item, data, trail),
  };
}

/**
 * Builds a working copy's table from plain data, a list of entries: `idOf` checks an entry and
 * reads its id, `valueOf` its value.
 */
function tableFromData<T>(
  entries: unknown,
  trail: Trail,
  idOf: (entry: unknown, trail: Trail) => string,
  valueOf: (entry: unknown, trail: Trail) => T,
): IdTable<T> {
  if (!Array.isArray(entries)) return malformed(trail, 'a list');
  const table = new Map<string, T>();
  for (let i = 0; i < entries.length; i++) {
    trail.enter(i);
    const entry: unknown = entries[i];
    const id = idOf(entry, trail);
    const value = valueOf(entry, trail);
    if (table.has(id))
      return malformed(trail, `an id not listed before (${excerpt(id)} is listed twice)`);
    table.set(id, value);
    trail.leave();
  }
  // A Map is a working copy's table at any size (shared/table.ts); freezing makes it a trie.
  return table as unknown as IdTable<T>;
}

/** An id table of values; as data, a list of `[id, value]` pairs. */
export function table<T>(value: Kind<T>): Kind<IdTable<T>> {
  return {
    describe: `table<${value.describe}>`,
    plain: false,
    scalar: false,
    optional: false,
    // A frozen state's table is a trie of arrays; a working copy's, a Map (shared/table.ts).
    looksLike: (v) => Array.isArray(v) || v instanceof Map,
    working: (t) => (value.scalar ? tableToWorking(t) : tableToWorking(t, (x) => value.working(x))),
    changeable: same,
    sharable: () => false,
    toData: (t) => tableEntries(t).map(([id, x]) => [id, value.toData(x)]),
    fromData: (data, trail) =>
      tableFromData(
        data,
        trail,
        (entry, at) =>
          Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string'
            ? entry[0]
            : malformed(at, 'an [id, value] pair'),
        (entry, at) => {
          at.enter(1);
          const read = value.fromData((entry as unknown[])[1], at);
          at.leave();
          return read;
        },
      ),
  };
}

/** An id table used as a set (every value `true`); as data, a list of ids. */
export function idSet(): Kind<IdTable<true>> {
  const base = table(yes);
  return {
    ...base,
    describe: 'set<id>',
    toData: (t) => tableEntries(t).map(([id]) => id),
    fromData: (data, trail) =>
      tableFromData(
        data,
        trail,
        (id, at) => (typeof id === 'string' ? id : malformed(at, 'an id')),
        () => true as const,
      ),
  };
}

/** FNV-1a of a shape's text, in hex: what the snapshot version is pinned to. */
export function shapeFingerprint(kind: Kind<unknown>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < kind.describe.length; i++) {
    h ^= kind.describe.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
