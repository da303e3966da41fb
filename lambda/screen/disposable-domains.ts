/**
 * The disposable-address list (disposable-email-domains-js, about 8,900 domains from the
 * community list, updated by dependency updates). Built into a Set on first use, so an instance
 * whose deployment allows such addresses never pays for it.
 */
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

let domains: Set<string> | undefined;

export function isDisposableDomain(domain: string): boolean {
  domains ??= disposableEmailBlocklistSet();
  return domains.has(domain);
}
