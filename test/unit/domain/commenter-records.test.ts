import {
  changeCommenter,
  commenterIdsOfEmail,
  commenterRecord,
  forgetCommenterNotes,
  HISTORY_MAX,
} from '../../../lambda/domain/commenter-records';
import { guestCommenterId } from '../../../lambda/domain/commenters';
import { CommenterChangedError, CommenterNotFoundError } from '../../../lambda/domain/errors';
import { FakeCommenterStore } from '../commenter-fakes';
import { commentRecord, hasher, NOW } from '../fakes';

const ID = 'c0mmenter-1';
const OPERATOR = 'arn:aws:iam::123456789012:user/desk';
const at = (ms: number) => new Date(ms).toISOString();

function setup() {
  const commenters = new FakeCommenterStore();
  let now = NOW;
  const deps = { commenters, hasher, clock: () => now };
  const later = (ms: number) => {
    now += ms;
  };
  return { commenters, deps, later };
}

describe('commenterRecord', () => {
  it('answers 404 for an id with neither a record nor a comment', async () => {
    const { deps } = setup();
    await expect(commenterRecord(deps, ID)).rejects.toBeInstanceOf(CommenterNotFoundError);
  });

  it('shows a commenter with comments but no record as normal, with counts and first seen', async () => {
    const { deps, commenters } = setup();
    commenters.comments.set(ID, [
      commentRecord({ commentId: 'c1', status: 'published', createdAt: at(NOW - 3000) }),
      commentRecord({ commentId: 'c2', status: 'spam', createdAt: at(NOW - 2000) }),
      commentRecord({ commentId: 'c3', status: 'pending', createdAt: at(NOW - 1000) }),
    ]);
    const record = await commenterRecord(deps, ID);
    expect(record).toMatchObject({
      commenterId: ID,
      state: 'normal',
      until: null,
      note: null,
      setBy: null,
      setAt: null,
      history: [],
      counts: { published: 1, pending: 1, spam: 1 },
      firstSeen: at(NOW - 3000),
    });
    // Newest first, as AdminComment (status and email: operators only).
    expect(record.comments.map((comment) => [comment.id, comment.status])).toEqual([
      ['c3', 'pending'],
      ['c2', 'spam'],
      ['c1', 'published'],
    ]);
  });
});

describe('changeCommenter', () => {
  it('refuses an id nobody has commented under, making no record', async () => {
    const { deps, commenters } = setup();
    await expect(changeCommenter(deps, ID, { state: 'banned' }, OPERATOR)).rejects.toBeInstanceOf(
      CommenterNotFoundError,
    );
    expect(commenters.saved).toEqual([]);
  });

  it('records who set each state when, keeping the earlier settings newest first', async () => {
    const { deps, commenters, later } = setup();
    commenters.comments.set(ID, [commentRecord()]);
    const until = at(NOW + 7 * 86_400_000);
    await changeCommenter(deps, ID, { state: 'suspended', until, note: 'Warned.' }, OPERATOR);
    later(60_000);
    const banned = await changeCommenter(deps, ID, { state: 'banned' }, 'local-operator');
    expect(banned).toMatchObject({
      state: 'banned',
      until: null,
      // Absent keeps the note.
      note: 'Warned.',
      setBy: 'local-operator',
      setAt: at(NOW + 60_000),
      history: [{ state: 'suspended', until, setBy: OPERATOR, setAt: at(NOW) }],
    });
    later(60_000);
    const undone = await changeCommenter(
      deps,
      ID,
      { state: 'suspended', until, note: 'Warned.' },
      OPERATOR,
    );
    expect(undone).toMatchObject({ state: 'suspended', until, note: 'Warned.' });
    expect(undone.history.map((setting) => setting.state)).toEqual(['banned', 'suspended']);
  });

  it('clears the note with null or empty text', async () => {
    const { deps, commenters } = setup();
    commenters.comments.set(ID, [commentRecord()]);
    await changeCommenter(deps, ID, { state: 'trusted', note: 'Regular.' }, OPERATOR);
    expect((await changeCommenter(deps, ID, { state: 'trusted', note: null }, OPERATOR)).note).toBe(
      null,
    );
    await changeCommenter(deps, ID, { state: 'trusted', note: 'Again.' }, OPERATOR);
    expect((await changeCommenter(deps, ID, { state: 'trusted', note: '' }, OPERATOR)).note).toBe(
      null,
    );
  });

  it(`keeps at most ${HISTORY_MAX} earlier settings`, async () => {
    const { deps, commenters, later } = setup();
    commenters.comments.set(ID, [commentRecord()]);
    for (let i = 0; i < HISTORY_MAX + 5; i++) {
      await changeCommenter(deps, ID, { state: i % 2 ? 'trusted' : 'normal' }, OPERATOR);
      later(1000);
    }
    expect(commenters.records.get(ID)?.history).toHaveLength(HISTORY_MAX);
  });

  it('writes only if the record is still as read', async () => {
    const { deps, commenters } = setup();
    commenters.comments.set(ID, [commentRecord()]);
    const read = commenters.record.bind(commenters);
    // Another moderator saves between this one's read and write.
    commenters.record = async (id) => {
      const record = await read(id);
      commenters.records.set(ID, {
        state: 'trusted',
        setBy: 'other',
        setAt: at(NOW - 1),
        history: [],
      });
      return record;
    };
    await expect(changeCommenter(deps, ID, { state: 'banned' }, OPERATOR)).rejects.toBeInstanceOf(
      CommenterChangedError,
    );
    expect(commenters.records.get(ID)?.state).toBe('trusted');
  });
});

describe('by email (operators only)', () => {
  const EMAIL = 'Troll@Example.com';
  const emailHash = hasher.hash('email', 'troll@example.com');

  it('finds a guest’s id from the address and a reader’s from their comments', async () => {
    const { deps, commenters } = setup();
    commenters.idsByEmailHash.set(emailHash, ['reader-sub-42']);
    expect(await commenterIdsOfEmail(deps, EMAIL)).toEqual([
      guestCommenterId(hasher, EMAIL),
      'reader-sub-42',
    ]);
  });

  it('forgets the note of every record the email stands for', async () => {
    const { deps, commenters } = setup();
    commenters.idsByEmailHash.set(emailHash, ['reader-sub-42']);
    const guest = guestCommenterId(hasher, EMAIL);
    for (const id of [guest, 'reader-sub-42']) {
      commenters.records.set(id, {
        state: 'banned',
        note: 'Posts the same link daily.',
        setBy: OPERATOR,
        setAt: at(NOW),
        history: [],
      });
    }
    await forgetCommenterNotes(deps, EMAIL);
    expect(commenters.forgotten).toEqual([guest, 'reader-sub-42']);
    expect([...commenters.records.values()].map((record) => [record.state, record.note])).toEqual([
      ['banned', undefined],
      ['banned', undefined],
    ]);
  });
});
