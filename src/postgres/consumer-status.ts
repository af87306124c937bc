/* What a durable consumer tells of itself (see consumer.ts). */

/** A consumer's state, for health checks and dashboards. */
export interface ConsumerStatus {
  readonly name: string;
  /** True while `start()`'s loop runs. */
  readonly running: boolean;
  /** True while this process holds the consumer's lock. */
  readonly leader: boolean;
  /** The checkpoint as this process last saw it (-1 before it has read it). */
  readonly position: number;
  /** The store's head when last asked (-1 before). */
  readonly head: number;
  /** Events behind the head: `head − position` when both are known (0 otherwise). */
  readonly lag: number;
  /** Failed batches in a row (0 after a success). */
  readonly failures: number;
  /** The last failure, kept until the next success. */
  readonly lastError: unknown;
  readonly handledEvents: number;
  readonly handledBatches: number;
}
