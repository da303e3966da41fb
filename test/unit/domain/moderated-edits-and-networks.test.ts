import { editOwnComment } from '../../../lambda/domain/comments';
import { clientHash, clientNetwork } from '../../../lambda/domain/rate-limit';
import type { ModerationPolicy } from '../../../lambda/domain/settings';
import { fixedId, hasher, ownedComment, screeningFor, settingsWith } from '../fakes';

describe('editOwnComment and the moderation policy', () => {
  it.each([
    ['none', 'published'],
    ['first-time', 'published'],
    ['all', 'pending'],
  ] as [ModerationPolicy, string][])(
    'under policy %s an edit of a published comment leaves it %s',
    async (policy, expected) => {
      const { token, store, record, clock } = ownedComment({
        articleId: 'article',
        status: 'published',
      });
      const deps = {
        store,
        clock: clock.read,
        newId: fixedId,
        hasher,
        settings: settingsWith({ policy }),
        screening: screeningFor(settingsWith({ policy })),
      };
      await editOwnComment(deps, { commentId: record.commentId, token, body: 'Changed.' });
      expect(store.bodyChanges.at(-1)?.change.status).toBe(expected);
    },
  );
});

describe('editOwnComment and the article’s own moderation policy', () => {
  it.each([
    ['all', 'none', 'pending'],
    ['none', 'all', 'published'],
    [undefined, 'all', 'pending'],
  ] as [ModerationPolicy | undefined, ModerationPolicy, string][])(
    'under the article’s policy %s (the deployment’s %s) an edit of a published comment leaves it %s',
    async (articlePolicy, policy, expected) => {
      const { token, store, record, clock } = ownedComment({
        articleId: 'article',
        status: 'published',
      });
      store.articles.set('article', {
        closed: false,
        ...(articlePolicy ? { moderation: articlePolicy } : {}),
      });
      const deps = {
        store,
        clock: clock.read,
        newId: fixedId,
        hasher,
        settings: settingsWith({ policy }),
        screening: screeningFor(settingsWith({ policy })),
      };
      await editOwnComment(deps, { commentId: record.commentId, token, body: 'Changed.' });
      expect(store.bodyChanges.at(-1)?.change.status).toBe(expected);
      // The comment and its article's settings come from one read.
      expect(store.finds).toEqual([{ articleId: 'article', commentId: record.commentId }]);
      expect(store.gateReads).toEqual([]);
    },
  );
});

describe('clientNetwork', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:aaaa::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
  ])('counts %s as %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });

  it('gives every address of one IPv6 /64 the same quota, and another /64 its own', () => {
    const one = clientHash(hasher, '2001:db8:1:2::1');
    expect(clientHash(hasher, '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(one);
    expect(clientHash(hasher, '2001:db8:1:3::1')).not.toBe(one);
  });
});
