import {
  type CommentRecord,
  toAdminComment,
  toPublicComment,
} from '../../../lambda/domain/comment';
import { commentRecord, publicComment, publicFields } from '../fakes';

describe('toPublicComment', () => {
  it('builds exactly the public Comment shape', () => {
    const comment = toPublicComment(
      publicFields({
        commentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
        parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1B',
      }),
    );
    expect(comment).toStrictEqual(
      publicComment({
        id: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
        parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1B',
      }),
    );
  });

  it('has every key, with nulls for absent values', () => {
    const comment = toPublicComment(publicFields({ authorWebsite: null, parentId: null }));
    expect(Object.keys(comment).sort()).toEqual(
      ['articleId', 'author', 'body', 'createdAt', 'editedAt', 'id', 'parentId', 'pinned'].sort(),
    );
    expect(Object.keys(comment.author).sort()).toEqual([
      'badges',
      'name',
      'staff',
      'verified',
      'website',
    ]);
    expect(comment.author.website).toBeNull();
    expect(comment.parentId).toBeNull();
    expect(comment.editedAt).toBeNull();
  });

  it('never carries the email, its hashes or the status of a stored record', () => {
    const record: CommentRecord = {
      ...publicFields(),
      email: 'ada.secret@example.com',
      emailHash: 'emailHashValue0123456',
      editTokenHash: 'tokenHashValue0123456',
      status: 'pending',
    };
    const text = JSON.stringify(toPublicComment(record));
    expect(text).not.toContain('ada.secret@example.com');
    expect(text).not.toContain('email');
    expect(text).not.toContain('emailHashValue0123456');
    expect(text).not.toContain('tokenHashValue0123456');
    expect(text).not.toContain('pending');
    expect(text).not.toContain('status');
  });
});

describe('toAdminComment', () => {
  it('is the public comment plus status and email, and no hash', () => {
    const record = commentRecord({ status: 'pending', editTokenHash: 'tokenHashValue0123456' });
    expect(toAdminComment(record)).toStrictEqual({
      ...toPublicComment(record),
      status: 'pending',
      email: 'ada@example.com',
      authorPublishedBefore: false,
      holdReasons: [],
    });
    const text = JSON.stringify(toAdminComment(record));
    expect(text).not.toContain(record.emailHash);
    expect(text).not.toContain('tokenHashValue0123456');
  });
});
