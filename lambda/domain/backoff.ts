/**
 * The one wait before a retry. It doubles with each attempt from `baseMs`; with full jitter (the
 * default) it is a random share of that, so concurrent retries spread out instead of colliding
 * again.
 */
export function backoff(attempt: number, baseMs: number, jitter: 'full' | 'none' = 'full') {
  const ceiling = baseMs * 2 ** attempt;
  const ms = jitter === 'full' ? Math.random() * ceiling : ceiling;
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
