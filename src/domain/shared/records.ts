/**
 * A plain record keyed by id, as the state holds them (they serialise to JSON as they are).
 * Read it through own properties only (`Object.hasOwn(record, id)`), so that an id such as
 * `constructor` never meets `Object.prototype`.
 */
export type IdRecord<T> = Record<string, T>;

export function own<T>(record: IdRecord<T>, id: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}
