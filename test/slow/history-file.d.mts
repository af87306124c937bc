/** Writes one long valid job history of `total` events (even, ≥ 6) as NDJSON; resolves to the count. */
export function writeHistory(file: string, total: number): Promise<number>;
