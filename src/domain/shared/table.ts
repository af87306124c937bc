import { current, isDraft } from 'immer';
import { own } from './records.js';

/*
 * Id-keyed tables of the state (milestones' money, funding ids, proposal ids, reviews) as small
 * hash tries of plain objects. A table is one plain object (a leaf, keyed by id) until it holds
 * more than 32 ids; then it becomes a branch of 32 children chosen by five bits of the id's hash,
 * and so on down. So changing one entry of a frozen, structurally shared state copies a few
 * nodes of at most 32 entries, never a table of a hundred thousand ids, while a small job's
 * table stays the one object it always was. Tables are plain JSON; ids never start with `$`
 * (see the id pattern), so the branch key `$b` cannot meet an id.
 */

/** A leaf of an id table: ids to values. */
export interface IdTableLeaf<T> {
  readonly [id: string]: T;
}

/** A branch of an id table: 32 children, chosen by five bits of the id's hash per level. */
export interface IdTableBranch<T> {
  readonly $b: readonly (IdTable<T> | null)[];
}

/**
 * A table of values by id, as the state keeps them. Read it with {@link tableGet} and
 * {@link tableEntries}: a large table is split into branches.
 */
export type IdTable<T> = IdTableLeaf<T> | IdTableBranch<T>;

const FANOUT_BITS = 5;
const FANOUT = 1 << FANOUT_BITS;
const LEAF_MAX = 32;
// 6 levels use 30 bits of a 32-bit hash; past them a leaf just grows (ids that collide so far are rare).
const MAX_DEPTH = 6;

type MutableNode<T> = Record<string, T> & { $b?: (MutableNode<T> | null)[] };

/** FNV-1a: a fast, stable 32-bit hash of an id. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function slot(h: number, depth: number): number {
  return (h >>> (FANOUT_BITS * depth)) & (FANOUT - 1);
}

/** A new, empty table. */
export function emptyTable<T>(): IdTable<T> {
  return {};
}

/** The value of an id in a table, if any. */
export function tableGet<T>(table: IdTable<T>, id: string): T | undefined {
  let node: IdTable<T> | null | undefined = table;
  let h: number | undefined;
  let depth = 0;
  while (node !== null && node !== undefined) {
    const branch: readonly (IdTable<T> | null)[] | undefined = (node as Partial<IdTableBranch<T>>).$b;
    if (branch === undefined) return own(node as IdTableLeaf<T>, id);
    h ??= hash(id);
    node = branch[slot(h, depth)];
    depth += 1;
  }
  return undefined;
}

/** True when a table holds a value for an id. */
export function tableHas<T>(table: IdTable<T>, id: string): boolean {
  return tableGet(table, id) !== undefined;
}

// How many ids a leaf being built holds, beside it (a leaf's JSON is only its ids): counting its
// keys on every insert was a tenth of a long fold.
const leafSizes = new WeakMap<object, number>();

function countKeys(leaf: object): number {
  let n = 0;
  for (const key in leaf) if (Object.prototype.hasOwnProperty.call(leaf, key)) n += 1;
  return n;
}

/** Turns a full leaf into a branch, in place. */
function split<T>(leaf: MutableNode<T>, depth: number): void {
  // Inside an immer draft the values are read as plain copies, so no draft lands in a new node.
  const values: Record<string, T> = isDraft(leaf) ? (current(leaf as never) as Record<string, T>) : leaf;
  const children: (MutableNode<T> | null)[] = new Array<MutableNode<T> | null>(FANOUT).fill(null);
  for (const key of Object.keys(values)) {
    const i = slot(hash(key), depth);
    const child = (children[i] ??= {} as MutableNode<T>);
    child[key] = values[key] as T;
  }
  for (const key of Object.keys(leaf)) delete leaf[key];
  leaf.$b = children;
}

/**
 * Sets the value of an id in a table that is being built or drafted (an evolve recipe's table:
 * a mutable working copy or an immer draft). Mutates `table`.
 */
export function tableSet<T>(table: IdTable<T>, id: string, value: T): void {
  let node = table as MutableNode<T>;
  let h: number | undefined;
  let depth = 0;
  for (;;) {
    const branch = node.$b;
    if (branch === undefined) break;
    h ??= hash(id);
    const i = slot(h, depth);
    let child = branch[i];
    if (child === null || child === undefined) {
      child = {} as MutableNode<T>;
      branch[i] = child;
      child = branch[i] as MutableNode<T>; // the draft of it, inside immer
    }
    node = child;
    depth += 1;
  }
  const isNew = !Object.prototype.hasOwnProperty.call(node, id);
  node[id] = value;
  // A private working copy (a fold from scratch, the history checker) lets leaves grow and is
  // balanced once when it is frozen (`freezeTable`); only an immer draft, whose result is
  // handed out as it is, splits as it goes.
  if (!isNew || depth >= MAX_DEPTH || !isDraft(node)) return;
  const known = leafSizes.get(node);
  const size = known === undefined ? countKeys(node) : known + 1;
  if (size > LEAF_MAX) split(node, depth);
  else leafSizes.set(node, size);
}

/** Every id and value of a table (in no particular order). */
export function tableEntries<T>(table: IdTable<T>): [string, T][] {
  const out: [string, T][] = [];
  const walk = (node: IdTable<T> | null | undefined): void => {
    if (node === null || node === undefined) return;
    const branch = (node as Partial<IdTableBranch<T>>).$b;
    if (branch !== undefined) {
      for (const child of branch) walk(child);
      return;
    }
    for (const id of Object.keys(node)) out.push([id, (node as IdTableLeaf<T>)[id] as T]);
  };
  walk(table);
  return out;
}

/** Every id of a table. */
export function tableKeys<T>(table: IdTable<T>): string[] {
  return tableEntries(table).map(([id]) => id);
}

/** Splits, in place, every leaf of a working copy that outgrew its 32 ids. */
function balance<T>(table: IdTable<T>, depth: number): void {
  const branch = (table as Partial<IdTableBranch<T>>).$b;
  if (branch === undefined) {
    if (depth >= MAX_DEPTH || countKeys(table) <= LEAF_MAX) return;
    split(table as MutableNode<T>, depth);
    balance(table, depth);
    return;
  }
  for (const child of branch) if (child !== null && !Object.isFrozen(child)) balance(child, depth + 1);
}

/**
 * Balances and freezes a freshly built table's nodes, and each value with `freezeValue` if given.
 * The trie's shape depends only on the ids it holds, so a table built in a working copy and
 * balanced here is the table immer drafts build entry by entry.
 */
export function freezeTable<T>(table: IdTable<T>, freezeValue?: (value: T) => void): void {
  if (Object.isFrozen(table)) return;
  balance(table, 0);
  freezeNodes(table, freezeValue);
}

function freezeNodes<T>(table: IdTable<T>, freezeValue?: (value: T) => void): void {
  if (Object.isFrozen(table)) return;
  const branch = (table as Partial<IdTableBranch<T>>).$b;
  if (branch !== undefined) {
    for (const child of branch) if (child !== null) freezeNodes(child, freezeValue);
    Object.freeze(branch);
  } else if (freezeValue !== undefined) {
    for (const id in table) freezeValue((table as IdTableLeaf<T>)[id] as T);
  }
  Object.freeze(table);
}
