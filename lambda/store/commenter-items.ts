/** Commenter record items (`COMMENTER#<commenterId>`) as the domain sees them. */
import { COMMENTER_STATES, type CommenterGate, type CommenterState } from '../domain/commenters';

const isState = (value: unknown): value is CommenterState =>
  (COMMENTER_STATES as readonly unknown[]).includes(value);

/** The gate's view of a record item; an item with a state the code does not know is `normal`. */
export function commenterGateOf(item: Record<string, unknown>): CommenterGate {
  const state = isState(item.state) ? item.state : 'normal';
  return state === 'suspended' && typeof item.until === 'string'
    ? { state, until: item.until }
    : { state };
}
