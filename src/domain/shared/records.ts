/**
 * Ids key plain records in the state (they serialise to JSON as they are); reading them only
 * through own properties keeps ids such as `constructor` from meeting Object.prototype.
 */
export type IdRecord<T> = Record<string, T>;

export function own<T>(record: IdRecord<T>, id: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}
