/**
 * What a function waits for before it handles a request or an event: a secret's fetch on the
 * instance's first request (lambda/secrets/). The composition root (lambda/runtime.ts) gathers a
 * function's waits and hands them to its handler (http/handler.ts, httpHandler; afterWaits for
 * stream and queue consumers), so nothing is registered behind a module's back.
 */

/** Undefined when nothing is left to wait for, so a warm request does not even await. */
export type BeforeRequest = () => Promise<unknown> | undefined;

/** What a handler is given to wait for; absent where it waits for nothing. */
export interface Waits {
  beforeRequest?: BeforeRequest;
}

/** Every step's pending wait at once; undefined when there are no steps. */
export function allOf(steps: readonly (BeforeRequest | undefined)[]): BeforeRequest | undefined {
  const present = steps.filter((step): step is BeforeRequest => step !== undefined);
  if (present.length === 0) return undefined;
  return () => {
    const pending = present.map((step) => step()).filter((wait) => wait !== undefined);
    return pending.length === 0 ? undefined : Promise.all(pending);
  };
}

/** An event handler that waits first; a failed wait fails the event, so it is retried. */
export function afterWaits<E, R>(
  { beforeRequest }: Waits,
  handle: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event) => {
    await beforeRequest?.();
    return handle(event);
  };
}
