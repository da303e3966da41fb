/**
 * The importer's thread resolver (bin/admin/import/thread-resolver.ts): replies wait for their
 * parent; a comment the source says nobody answers is not remembered, so a Coral import's memory
 * follows the comments that have replies, not every comment.
 */

import type { SourceComment } from '../../../bin/admin/import/source';
import { ThreadResolver } from '../../../bin/admin/import/thread-resolver';

const comment = (sourceId: string, parent: string | null, extra: Partial<SourceComment> = {}) => ({
  sourceId,
  parentSourceId: parent,
  id: `talkback-${sourceId}`,
  articleId: 'a',
  name: 'N',
  email: null,
  website: null,
  body: 'B',
  status: 'published' as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  ...extra,
});

describe('ThreadResolver', () => {
  it('sends a reply after its parent, with its parent’s Talkback id', () => {
    const sent: [string, string | null][] = [];
    const resolver = new ThreadResolver(
      (c, parentId) => {
        sent.push([c.sourceId, parentId]);
        return true;
      },
      () => {},
    );
    resolver.add(comment('2', '1'));
    resolver.add(comment('1', null));
    expect(sent).toEqual([
      ['1', null],
      ['2', 'talkback-1'],
    ]);
  });

  it('remembers a comment only until its last reply, where the source says how many', () => {
    const resolver = new ThreadResolver(
      () => true,
      () => {},
    );
    resolver.add(comment('1', null, { replies: 2 }));
    resolver.add(comment('9', null, { replies: 0 }));
    expect(resolver.remembered).toBe(1);
    resolver.add(comment('2', '1', { replies: 0 }));
    expect(resolver.remembered).toBe(1);
    resolver.add(comment('3', '1', { replies: 0 }));
    expect(resolver.remembered).toBe(0);
  });

  it('still settles a reply that came first to a comment said to have none', () => {
    const sent: string[] = [];
    const resolver = new ThreadResolver(
      (c) => {
        sent.push(c.sourceId);
        return true;
      },
      () => {},
    );
    resolver.add(comment('2', '1'));
    resolver.add(comment('1', null, { replies: 0 }));
    expect(sent).toEqual(['1', '2']);
  });
});
