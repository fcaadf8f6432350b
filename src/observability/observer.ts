/**
 * What the application reports about its own work, for metrics. The use cases and the unit of work call these
 * hooks; only src/observability/metrics.ts knows they become Prometheus series.
 */
export interface Observer {
  /** A write transaction of the group committer ran `size` commands. */
  writeBatch(size: number): void;
  /** An export ended: completed, or cut short (the client went away, or the database failed). */
  exportFinished(format: string, outcome: 'completed' | 'aborted', entries: number): void;
}

/** For scripts and tests that do not collect metrics. */
export const silentObserver: Observer = {
  writeBatch: () => undefined,
  exportFinished: () => undefined,
};
