/**
 * The disposable-address list (disposable-email-domains-js, about 8,900 domains from the
 * community list, updated by dependency updates), loaded and built into a Set on first use.
 */

let domains: Promise<Set<string>> | undefined;

export async function isDisposableDomain(domain: string): Promise<boolean> {
  // The bundler replaces this variable (env.ts DISPOSABLE_BUNDLE_ENV) with `none` where the
  // deployment allows disposable addresses, and then leaves the list (about 150 KB) out.
  if (process.env.TALKBACK_DISPOSABLE_BUNDLE !== 'none') {
    domains ??= import('disposable-email-domains-js').then((list) =>
      list.disposableEmailBlocklistSet(),
    );
    return (await domains).has(domain);
  }
  throw new Error('Talkback configuration: this bundle has no disposable-domain list');
}
