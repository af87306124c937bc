/*
 * Id-keyed tables of the state (milestones' money, funding ids, proposal ids, reviews).
 *
 * A frozen state holds each table as a small hash trie of arrays. A leaf is one flat array of
 * ids and their values, `[id, value, id, value, …]`, holding at most 32 ids; past that a table is
 * a branch, an array of 16 children (null where empty) chosen by four bits of the id's hash, and
 * so on down. Arrays rather than objects keyed by id, because V8 gives an object a new hidden
 * class for every id added in a new order, and building and freezing such objects cost about
 * fifteen times what an array of the same entries costs (bench/RESULTS.md, "id tables as arrays").
 * So changing one entry of a frozen, structurally shared state copies a few arrays of at most 64
 * items, never a table of a hundred thousand ids, and a small job's table is one short array.
 * Branches are 16 wide, not 32: a command on a loaded state copies a branch on each level for
 * every id it sets, and a 16-wide path is a third fewer bytes and was faster to fold onto, for one
 * more level to read (bench/RESULTS.md, "Fifth session").
 *
 * A working copy (a fold from scratch, the history checker, a projection's accumulator) holds a
 * table of up to 32 ids as a flat array like a leaf, and a larger one as a `Map`, as a
 * hand-written fold would; `freezeState` freezes the first as it is and builds a trie from the
 * second, once.
 * Read tables with `tableGet` / `tableEntries`, which take either form.
 */

import { withTwoMore } from './copies.js';

/**
 * A table of values by id, as the state keeps them. Read it with {@link tableGet} and
 * {@link tableEntries}. In a frozen state it is a trie of arrays: a leaf `[id, value, id, value, …]`
 * of at most 32 ids, or a branch of 16 children (`null` where empty), each a table again; its JSON
 * is those arrays. In a working copy it is a `Map`. Its type is opaque on purpose.
 */
export interface IdTable<T> {
  /** Type only: the values' type (no such property exists at run time). */
  readonly __values?: T;
}

const FANOUT_BITS = 4;
const FANOUT = 1 << FANOUT_BITS;
const LEAF_MAX = 32;
// 8 levels use the 32 bits of the hash; past them a leaf just grows (ids that collide so far are rare).
const MAX_DEPTH = 8;

const EMPTY = Object.freeze([]) as IdTable<never>;

/**
 * FNV-1a: a fast, stable 32-bit hash of an id, as a signed integer (`slot` reads its bits
 * unsigned): an unsigned one past 2^31 is not a small integer, and each was a heap number.
 */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

function slot(h: number, depth: number): number {
  return (h >>> (FANOUT_BITS * depth)) & (FANOUT - 1);
}

/** A branch's first item is a child or null; a leaf's is an id (an empty leaf has none). */
function isBranch(node: readonly unknown[]): boolean {
  const first = node[0];
  return first !== undefined && typeof first !== 'string';
}

// A table is an array (a frozen trie, or a working copy's flat leaf) or a working copy's `Map`:
// `Array.isArray` tells them apart with one map check, where `instanceof` walks prototypes.
function asMap<T>(table: IdTable<T>): Map<string, T> | undefined {
  return Array.isArray(table) ? undefined : (table as unknown as Map<string, T>);
}

/**
 * The empty table, frozen and shared: a new state's tables start as this, and a recipe's
 * {@link tableWith} replaces it with a working copy's own flat array on the first id, so that a
 * small job does not build (and freeze) a table it never uses.
 */
export function noIds<T>(): IdTable<T> {
  return EMPTY;
}

/** The value of an id in a table, if any. */
export function tableGet<T>(table: IdTable<T>, id: string): T | undefined {
  const map = asMap(table);
  if (map !== undefined) return map.get(id);
  let node = table as unknown as readonly unknown[];
  let h: number | undefined;
  let depth = 0;
  while (isBranch(node)) {
    h ??= hash(id);
    const child = node[slot(h, depth)] as readonly unknown[] | null;
    if (child === null) return undefined;
    node = child;
    depth += 1;
  }
  for (let i = 0; i < node.length; i += 2) if (node[i] === id) return node[i + 1] as T;
  return undefined;
}

/** True when a table holds no id (tables only grow: an empty one is the shared empty table). */
export function tableIsEmpty<T>(table: IdTable<T>): boolean {
  return (table as unknown) === EMPTY || asMap(table)?.size === 0;
}

/** True when a table holds a value for an id. */
export function tableHas<T>(table: IdTable<T>, id: string): boolean {
  return tableGet(table, id) !== undefined;
}

/** Turns a full leaf into a branch, in place; its new children join the trie's own nodes. */
function split(leaf: unknown[], depth: number, own: Owned | undefined): void {
  // Each child is made at its final size: an array grown by `push` from empty reserves 16 slots
  // or more, where a split's children hold an id or two (what a new id costs, bench/RESULTS.md).
  const n = leaf.length;
  const slots: number[] = [];
  const sizes = new Array<number>(FANOUT).fill(0);
  for (let k = 0; k < n; k += 2) {
    const i = slot(hash(leaf[k] as string), depth);
    slots.push(i);
    sizes[i] = (sizes[i] as number) + 2;
  }
  const children: (unknown[] | null)[] = [];
  for (let i = 0; i < FANOUT; i++) {
    const size = sizes[i] as number;
    children.push(size === 0 ? null : new Array<unknown>(size));
    sizes[i] = 0;
  }
  for (let k = 0; k < n; k += 2) {
    const i = slots[k >> 1] as number;
    const child = children[i] as unknown[];
    const at = sizes[i] as number;
    child[at] = leaf[k];
    child[at + 1] = leaf[k + 1];
    sizes[i] = at + 2;
  }
  for (let i = 0; i < FANOUT; i++) {
    const child = children[i] as unknown[] | null;
    leaf[i] = child;
    if (child !== null) own?.nodes.push(child);
  }
  leaf.length = FANOUT;
  // Ids that share the next bits too land in one child: split it again, as `build` would.
  if (depth + 1 < MAX_DEPTH)
    for (const child of children)
      if (child !== null && child.length > 2 * LEAF_MAX) split(child, depth + 1, own);
}

/*
 * What a working copy's trie owns, by its root: the nodes it copied from a frozen state or made,
 * and the values it set. Freezing the trie then freezes exactly these, where walking it from the
 * root would look at every sibling of every copied node (16 a branch) and every value of every
 * copied leaf, almost all of them shared and frozen already. A loaded state's command folds a few
 * events onto tries of thousands of ids: that walk was a third of its time.
 */
interface Owned {
  readonly nodes: unknown[][];
  readonly values: unknown[];
}
const owned = new WeakMap<readonly unknown[], Owned>();

/**
 * The table with one id set, for a recipe to assign back (`draft.ids = tableWith(draft.ids, id,
 * value)`). In a working copy a table of up to 32 ids is a flat array like a frozen leaf (so
 * freezing it is one `Object.freeze`, no conversion) and becomes a `Map` when it outgrows that; a
 * frozen table is copied (the shared empty one whole, a trie along the path to the id), never
 * changed.
 */
export function tableWith<T>(table: IdTable<T>, id: string, value: T): IdTable<T> {
  const map = asMap(table);
  if (map !== undefined) {
    map.set(id, value);
    return table;
  }
  if ((table as unknown) === EMPTY) return [id, value] as unknown as IdTable<T>;
  let leaf = table as unknown as unknown[];
  if (isBranch(leaf)) return withInTrie(leaf, id, value) as unknown as IdTable<T>;
  // Copies of frozen arrays are spread: `slice` on a frozen array takes V8's slow path (12× slower).
  if (Object.isFrozen(leaf)) leaf = [...leaf];
  for (let i = 0; i < leaf.length; i += 2) {
    if (leaf[i] === id) {
      leaf[i + 1] = value;
      return leaf as unknown as IdTable<T>;
    }
  }
  if (leaf.length < 2 * LEAF_MAX) {
    leaf.push(id, value);
    return leaf as unknown as IdTable<T>;
  }
  const grown = new Map<string, T>();
  for (let i = 0; i < leaf.length; i += 2) grown.set(leaf[i] as string, leaf[i + 1] as T);
  grown.set(id, value);
  return grown as unknown as IdTable<T>;
}

/**
 * Sets an id in a trie that a working copy shares with a frozen state, copying only the path to
 * it: a frozen node is shared, so it is copied before it is changed; an unfrozen one is this
 * working copy's own (copied earlier) and is changed in place. Returns the root to keep.
 */
function withInTrie(root: unknown[], id: string, value: unknown): unknown[] {
  let top = root;
  let own = owned.get(root);
  if (own === undefined && Object.isFrozen(root)) {
    // A frozen trie's root is copied, and the copy records what it owns from now on. (An unfrozen
    // root without a record records nothing: freezing it walks it, as before.)
    top = [...root];
    own = { nodes: [top], values: [] };
    owned.set(top, own);
  }
  own?.values.push(value);
  const h = hash(id);
  let node = top;
  let depth = 0;
  while (isBranch(node)) {
    const i = slot(h, depth);
    const child = node[i] as unknown[] | null;
    if (child === null || (Object.isFrozen(child) && !isBranch(child))) {
      // The leaf this id ends in, made once at its size (a copy grown by `push` would reserve
      // half again: most of what a new id cost).
      const leaf = leafWith(child, id, value);
      node[i] = leaf;
      own?.nodes.push(leaf);
      if (leaf.length > 2 * LEAF_MAX && depth + 1 < MAX_DEPTH) split(leaf, depth + 1, own);
      return top;
    }
    let next = child;
    if (Object.isFrozen(child)) {
      next = [...child];
      node[i] = next;
      own?.nodes.push(next);
    }
    node = next;
    depth += 1;
  }
  // A leaf this working copy owns already (or an unfrozen root leaf): changed in place.
  for (let i = 0; i < node.length; i += 2) {
    if (node[i] === id) {
      node[i + 1] = value;
      return top;
    }
  }
  node.push(id, value);
  if (node.length > 2 * LEAF_MAX && depth < MAX_DEPTH) split(node, depth, own);
  return top;
}

/** A new leaf: a frozen one's entries (none for `null`) with `id` set to `value`. */
function leafWith(leaf: readonly unknown[] | null, id: string, value: unknown): unknown[] {
  if (leaf === null) return [id, value];
  for (let i = 0; i < leaf.length; i += 2) {
    if (leaf[i] === id) {
      const copy = [...leaf];
      copy[i + 1] = value;
      return copy;
    }
  }
  return withTwoMore(leaf, id, value);
}

/** Every id and value of a table (in no particular order). */
export function tableEntries<T>(table: IdTable<T>): [string, T][] {
  const map = asMap(table);
  if (map !== undefined) return [...map];
  const out: [string, T][] = [];
  const walk = (node: readonly unknown[] | null): void => {
    if (node === null) return;
    if (isBranch(node)) {
      for (const child of node) walk(child as readonly unknown[] | null);
      return;
    }
    for (let i = 0; i < node.length; i += 2) out.push([node[i] as string, node[i + 1] as T]);
  };
  walk(table as unknown as readonly unknown[]);
  return out;
}

/** Every id of a table. */
export function tableKeys<T>(table: IdTable<T>): string[] {
  return tableEntries(table).map(([id]) => id);
}

/**
 * A table for a working copy, each value passed through `copyValue`: the shared empty table, a
 * flat array of up to 32 ids, or a `Map` (see {@link tableWith}).
 */
export function tableToWorking<T>(table: IdTable<T>, copyValue?: (value: T) => T): IdTable<T> {
  const entries = tableEntries(table);
  if (entries.length === 0) return EMPTY;
  if (entries.length <= LEAF_MAX) {
    const leaf: unknown[] = [];
    for (const [id, value] of entries)
      leaf.push(id, copyValue === undefined ? value : copyValue(value));
    return leaf as unknown as IdTable<T>;
  }
  const map = new Map<string, T>();
  for (const [id, value] of entries)
    map.set(id, copyValue === undefined ? value : copyValue(value));
  return map as unknown as IdTable<T>;
}

function leafOf<T>(
  ids: readonly string[],
  values: readonly T[],
  at: readonly number[],
  freezeValue: ((value: T) => void) | undefined,
): IdTable<T> {
  const leaf: (string | T)[] = [];
  for (const k of at) {
    const value = values[k] as T;
    if (freezeValue !== undefined) freezeValue(value);
    leaf.push(ids[k] as string, value);
  }
  return Object.freeze(leaf) as unknown as IdTable<T>;
}

// The trie of the entries at positions `at` (in insertion order), from level `depth` down.
function build<T>(
  ids: readonly string[],
  values: readonly T[],
  hashes: readonly number[],
  at: readonly number[],
  depth: number,
  freezeValue: ((value: T) => void) | undefined,
): IdTable<T> {
  if (at.length <= LEAF_MAX || depth >= MAX_DEPTH) return leafOf(ids, values, at, freezeValue);
  const buckets: (number[] | undefined)[] = new Array<number[] | undefined>(FANOUT);
  for (const k of at) (buckets[slot(hashes[k] as number, depth)] ??= []).push(k);
  const branch: (IdTable<T> | null)[] = [];
  for (let i = 0; i < FANOUT; i++) {
    const bucket = buckets[i];
    branch.push(
      bucket === undefined ? null : build(ids, values, hashes, bucket, depth + 1, freezeValue),
    );
  }
  return Object.freeze(branch) as unknown as IdTable<T>;
}

/**
 * A working copy's table as a frozen trie (each value frozen with `freezeValue` if given). The
 * trie's shape depends only on the ids it holds and the order they came in, so a table built in
 * a working copy and frozen here is the table a copy-on-write fold builds entry by entry. A
 * table that is a trie already is frozen in place.
 */
export function freezeTable<T>(table: IdTable<T>, freezeValue?: (value: T) => void): IdTable<T> {
  if ((table as unknown) === EMPTY) return table;
  const map = asMap(table);
  if (map === undefined) {
    const root = table as unknown as readonly unknown[];
    // Only a trie copied from a frozen one has a record (a flat array never does: no lookup).
    const own = isBranch(root) && !Object.isFrozen(root) ? owned.get(root) : undefined;
    if (own === undefined)
      // A working copy's flat array (frozen as it is: it holds at most 32 ids), or a trie.
      freezeNodes(root, freezeValue);
    else {
      owned.delete(root);
      if (freezeValue !== undefined) for (const value of own.values) freezeValue(value as never);
      for (const node of own.nodes) Object.freeze(node);
    }
    return table;
  }
  if (map.size === 0) return EMPTY;
  if (map.size <= LEAF_MAX) {
    const leaf: (string | T)[] = [];
    for (const [id, value] of map) {
      if (freezeValue !== undefined) freezeValue(value);
      leaf.push(id, value);
    }
    return Object.freeze(leaf) as unknown as IdTable<T>;
  }
  const ids: string[] = [];
  const values: T[] = [];
  const hashes: number[] = [];
  const at: number[] = [];
  for (const [id, value] of map) {
    at.push(ids.length);
    ids.push(id);
    values.push(value);
    hashes.push(hash(id));
  }
  return build(ids, values, hashes, at, 0, freezeValue);
}

function freezeNodes(
  node: readonly unknown[] | null,
  freezeValue: ((value: never) => void) | undefined,
): void {
  if (node === null || Object.isFrozen(node)) return;
  if (isBranch(node))
    for (const child of node) freezeNodes(child as readonly unknown[] | null, freezeValue);
  else if (freezeValue !== undefined)
    for (let i = 1; i < node.length; i += 2) freezeValue(node[i] as never);
  Object.freeze(node);
}
