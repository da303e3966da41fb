/**
 * Fakes for the domain's ports: in-memory stores that record what they were asked, a fixed
 * clock and a predictable id generator. Unit tests pass these instead of mocking modules.
 */
import type { CommentRecord, PublicCommentFields } from '../../lambda/domain/comment';
import { ulid } from '../../lambda/domain/ids';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import type {
  ArticleCounts,
  CommentPage,
  CommentPageQuery,
  CommentStore,
  CountsStore,
  ReactionState,
  ReactionStore,
  VoteChange,
} from '../../lambda/domain/ports';

export const SECRET = 'unit-test-secret-0123456789-abcdefghij';
export const hasher = createKeyedHasher(SECRET);

/** 2026-11-26T21:19:00.000Z */
export const NOW = Date.UTC(2026, 10, 26, 21, 19, 0, 0);
export const fixedClock = () => NOW;

/** A ULID for the given time with all-zero randomness, so it is the same on every run. */
export const fixedId = (timeMs: number) => ulid(timeMs, Buffer.alloc(10));

export class FakeCommentStore implements CommentStore {
  readonly inserted: CommentRecord[] = [];
  readonly queries: CommentPageQuery[] = [];
  insertError: Error | undefined;

  constructor(private readonly pages: CommentPage[] = []) {}

  async insert(record: CommentRecord): Promise<void> {
    if (this.insertError) throw this.insertError;
    this.inserted.push(record);
  }

  async page(query: CommentPageQuery): Promise<CommentPage> {
    this.queries.push(query);
    // Like the repository, only a first page carries the count.
    const empty = query.after === undefined ? { commentCount: 0 } : {};
    return this.pages.shift() ?? { ...empty, comments: [], nextAfter: null };
  }
}

/**
 * A reaction store holding one visitor's vote and the counts. `conflicts` makes that many
 * `change` calls fail with the given error before one succeeds.
 */
export class FakeReactionStore implements ReactionStore, CountsStore {
  readonly reads: { articleId: string; visitorHash: string | undefined }[] = [];
  readonly changes: VoteChange[] = [];
  readonly countQueries: string[][] = [];
  failures: Error[] = [];

  constructor(
    public state: ReactionState = { counts: {}, mine: null },
    private readonly articleCounts = new Map<string, ArticleCounts>(),
  ) {}

  async read(articleId: string, visitorHash: string | undefined): Promise<ReactionState> {
    this.reads.push({ articleId, visitorHash });
    return { counts: { ...this.state.counts }, mine: this.state.mine };
  }

  async change(change: VoteChange): Promise<void> {
    this.changes.push(change);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const counts = { ...this.state.counts };
    if (change.from !== null) counts[change.from] = (counts[change.from] ?? 0) - 1;
    if (change.to !== null) counts[change.to] = (counts[change.to] ?? 0) + 1;
    this.state = { counts, mine: change.to };
  }

  async counts(articleIds: string[]): Promise<Map<string, ArticleCounts>> {
    this.countQueries.push(articleIds);
    return new Map([...this.articleCounts].filter(([id]) => articleIds.includes(id)));
  }
}

export function publicFields(overrides: Partial<PublicCommentFields> = {}): PublicCommentFields {
  return {
    commentId: fixedId(NOW),
    articleId: 'russia-north-korea-ties',
    parentId: null,
    authorName: 'Ada',
    authorWebsite: 'https://ada.example',
    body: 'Plain text.',
    createdAt: new Date(NOW).toISOString(),
    editedAt: null,
    ...overrides,
  };
}
