import { type DestinationStream, pino, type Logger } from 'pino';

export type { Logger };

/** Past this much waiting for a stalled reader, lines are dropped rather than held in memory without bound. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * stdout as a log destination that can neither block nor crash the process. A pipe is written asynchronously
 * (Node's own stream); once stdout fails (EPIPE: its reader has gone) further lines are dropped. pino's default
 * destination is not used: when the process exits it flushes synchronously, retrying a failed write forever in
 * Atomics.wait, which no timer can interrupt.
 */
export class StdoutDestination implements DestinationStream {
  #failed = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    out.on('error', () => {
      this.#failed = true;
    });
  }

  write(line: string): void {
    if (this.#failed || this.out.writableLength > MAX_QUEUED_BYTES) return;
    this.out.write(line);
  }

  /** Resolves once every line written so far is out (or stdout has failed), and after `timeoutMs` at the latest. */
  flushed(timeoutMs: number): Promise<void> {
    if (this.#failed || this.out.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.out.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.out.once('error', done);
      // Writes complete in order: the callback of an empty one runs once everything before it is written.
      this.out.write('', done);
    });
  }
}

let stdout: StdoutDestination | undefined;
/** The process's one stdout destination, shared by every logger on it. */
export function stdoutDestination(): StdoutDestination {
  return (stdout ??= new StdoutDestination());
}

/** JSON lines on stdout (or `destination`); a request's lines carry its `requestId` (src/observability). */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  return pino({ level, base: { service: 'voucher-ledger' }, redact: ['req.headers.authorization'] }, destination);
}
