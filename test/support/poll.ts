/**
 * Waiting for something eventually consistent (the reaction total tallied from the table's
 * stream) without fixed sleeps: read again until the value is what the test expects, and fail
 * after a bound with the last value read, so a failure says what was there instead.
 */

export interface PollOptions {
  /** Give up after this long; the default leaves room for a loaded machine. */
  timeoutMs?: number;
  /** Pause between reads. */
  intervalMs?: number;
  /** What was awaited, for the failure message. */
  what?: string;
}

export class PollTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastValue: unknown,
  ) {
    super(message);
    this.name = 'PollTimeoutError';
  }
}

/** Reads until `done(value)`; returns that value, or throws PollTimeoutError with the last one. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100, what = 'the awaited value' }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let reads = 0;
  for (;;) {
    const value = await read();
    reads += 1;
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      throw new PollTimeoutError(
        `${what} did not arrive within ${timeoutMs} ms (${reads} reads); last value: ${JSON.stringify(value)}`,
        value,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
