/**
 * The requests of the operators' commenter routes (domain/commenter-records.ts): the id in the
 * path, and PUT /admin/commenters/{commenterId}'s change. Bad values are 400s naming the field.
 */
import * as v from 'valibot';
import { COMMENTER_STATES } from './commenters';

/** A commenterId: a reader's `sub` (any printable text but `/`) or a guest's opaque id. */
export const commenterPathSchema = v.object({
  commenterId: v.pipe(
    v.string('is required'),
    v.regex(/^[!-.0-~]{1,255}$/, 'must be a commenter id (1-255 printable characters, no /)'),
  ),
});

/** A moderator's note: short, and never required. */
export const NOTE_MAX_CHARS = 1000;

const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const UNTIL_MESSAGE = 'must be a time such as 2026-12-24T18:00:00Z';

/**
 * `{ state, until?, note? }`: `until` (a zoned time, made ISO 8601 UTC) with `suspended` and only
 * with it; `note` text or null (null or empty clears it; absent keeps it).
 */
export const commenterChangeSchema = v.pipe(
  v.object({
    state: v.picklist(COMMENTER_STATES, `must be one of ${COMMENTER_STATES.join(', ')}`),
    until: v.optional(
      v.pipe(
        v.string(UNTIL_MESSAGE),
        v.regex(ZONED_TIME, UNTIL_MESSAGE),
        v.check((time) => Number.isFinite(Date.parse(time)), UNTIL_MESSAGE),
        v.transform((time) => new Date(time).toISOString()),
      ),
    ),
    note: v.optional(
      v.nullable(
        v.pipe(
          v.string('must be text, or null'),
          v.trim(),
          v.maxLength(NOTE_MAX_CHARS, `must be at most ${NOTE_MAX_CHARS} characters`),
        ),
      ),
    ),
  }),
  v.forward(
    v.check(
      ({ state, until }) => state !== 'suspended' || until !== undefined,
      'is required to suspend: when the suspension ends',
    ),
    ['until'],
  ),
  v.forward(
    v.check(
      ({ state, until }) => state === 'suspended' || until === undefined,
      'is only for suspended',
    ),
    ['until'],
  ),
);
