import {
  type ConfirmLinkState,
  confirmLinkState,
  confirmToken,
  LINK_LIFETIME_MS,
  type NotificationStore,
  type SubscriberState,
} from '../../../lambda/domain/notifications';
import { hasher, NOW } from '../fakes';

const ISSUED = NOW - 60_000;
const before = new Date(ISSUED - 1000).toISOString();
const after = new Date(ISSUED + 1000).toISOString();

/** A store that knows one address's state, and counts its reads. */
function storeWith(current: { state: SubscriberState; pendingSince: string | null } | undefined) {
  const reads: string[] = [];
  const store = {
    async subscriptionState(emailHash: string) {
      reads.push(emailHash);
      return current;
    },
  } as unknown as NotificationStore;
  return { store, reads };
}

describe('confirmLinkState', () => {
  it.each<
    [string, { state: SubscriberState; pendingSince: string | null } | undefined, ConfirmLinkState]
  >([
    ['confirmed already', { state: 'confirmed', pendingSince: before }, 'confirmed'],
    ['confirmed by a newer link', { state: 'confirmed', pendingSince: after }, 'confirmed'],
    ['pending since before the link', { state: 'pending', pendingSince: before }, 'ready'],
    ['asked for again after the link', { state: 'pending', pendingSince: after }, 'stale'],
    ['unsubscribed after the link', { state: 'unsubscribed', pendingSince: null }, 'stale'],
    ['pending with no start recorded', { state: 'pending', pendingSince: null }, 'stale'],
    ['erased (no item)', undefined, 'stale'],
  ])('an address %s: %s', async (_case, current, expected) => {
    const { store, reads } = storeWith(current);
    const token = confirmToken(hasher, 'h1', ISSUED);
    expect(await confirmLinkState({ store, hasher, clock: () => NOW }, token)).toBe(expected);
    expect(reads).toEqual(['h1']);
  });

  it('reads nothing for a forged or expired link', async () => {
    const { store, reads } = storeWith({ state: 'pending', pendingSince: before });
    const token = confirmToken(hasher, 'h1', ISSUED);
    const deps = { store, hasher, clock: () => NOW };
    expect(await confirmLinkState(deps, `${token}x`)).toBe('invalid');
    expect(await confirmLinkState(deps, undefined)).toBe('invalid');
    const late = { ...deps, clock: () => ISSUED + LINK_LIFETIME_MS + 1 };
    expect(await confirmLinkState(late, token)).toBe('invalid');
    expect(reads).toEqual([]);
  });
});
