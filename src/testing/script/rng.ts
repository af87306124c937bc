/** A small, fast, deterministic PRNG (mulberry32), seeded by one step's integer. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** One of the options, each as likely as its weight; `undefined` when none has weight. */
  weighted<T>(options: readonly (readonly [number, T])[]): T | undefined {
    const total = options.reduce((sum, [w]) => sum + w, 0);
    if (total <= 0) return undefined;
    let r = this.next() * total;
    for (const [w, value] of options) {
      if (r < w) return value;
      r -= w;
    }
    return options[options.length - 1]?.[1];
  }
}

export const TITLES = [
  'Start fee deposit',
  '6 concepts',
  '1st Revision of chosen concept',
  '2nd Revision of chosen concept',
  'Final: Delivery of final print-ready files',
  'Initial schema design',
  'Implementation',
  'QA',
  'Final: Release/Final Product',
  'Révision ✓ — « finale »',
  'x',
  'T'.repeat(200),
];
export const DESCRIPTIONS = [
  '',
  'As agreed in the brief.',
  'Vector files (AI, EPS, SVG) and PNG exports.',
  'Zweite Überarbeitung 🎨',
];
export const AMOUNTS = [7500, 7500, 10000, 20000, 20000, 2500, 100, 1];

export function calendarDate(daysAfter: number): string {
  return new Date(Date.UTC(2014, 10, 3) + daysAfter * 86_400_000).toISOString().slice(0, 10);
}

export function instant(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A copy of `value` without `key`. */
export function omit<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Omit<T, K>;
}
