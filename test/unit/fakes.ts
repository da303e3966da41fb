/**
 * Fakes for the domain's ports: in-memory stores that record what they were asked, a fixed
 * clock and a predictable id generator. Unit tests pass these instead of mocking modules.
 */
import type { ArticleSettings, StoredArticleChange } from '../../lambda/domain/article-settings';
import type {
  CommentRecord,
  CommentStatus,
  PublicComment,
  PublicCommentFields,
} from '../../lambda/domain/comment';
import type { CommenterGate } from '../../lambda/domain/commenters';
import { issueEditToken } from '../../lambda/domain/edit-token';
import { ServiceBusyError } from '../../lambda/domain/errors';
import { ulid } from '../../lambda/domain/ids';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import type { LikeChange, LikeState, LikeStore } from '../../lambda/domain/likes';
import type { Decision } from '../../lambda/domain/moderation-undo';
import type {
  ArticleCounts,
  ArticlePage,
  BodyChange,
  BoundedCount,
  CommentPage,
  CommentPageQuery,
  CommentStore,
  CountsStore,
  GateRead,
  InsertOptions,
  ModeratedComment,
  ModerationPage,
  ModerationStore,
  ReactionState,
  ReactionStore,
  StoredArticle,
  VoteChange,
} from '../../lambda/domain/ports';
import type { RateCharge } from '../../lambda/domain/rate-limit';
import type { Screening } from '../../lambda/domain/screen';
import type { HouseRules, RulesStore, VersionedRules } from '../../lambda/domain/screen-rules';
import { parseSettings, type Settings } from '../../lambda/domain/settings';
import type { CommentPlace, SignalsStore } from '../../lambda/domain/signals';
import type { TallyStore } from '../../lambda/domain/tally';
import { screeningOf } from '../../lambda/screen/screening-from';
import { anonymousAuthor } from '../support/contract';

export const SECRET = 'unit-test-secret-0123456789-abcdefghij';
export const hasher = createKeyedHasher(SECRET);

/** 2026-11-26T21:19:00.000Z */
export const NOW = Date.UTC(2026, 10, 26, 21, 19, 0, 0);
export const fixedClock = () => NOW;

/** A clock a test can move forward, for rate-limit windows and the edit window. */
export class FakeClock {
  constructor(public now = NOW) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** The default settings with a moderation policy (and other moderation settings) replaced. */
export function settingsWith(moderation: Partial<Settings['moderation']>): Settings {
  return parseSettings({ moderation });
}

/** The house rules' item in memory (none stored at first), replaced only from the version it is at. */
export class MemoryRules implements RulesStore {
  stored: VersionedRules | undefined;
  reads = 0;
  failNext = false;
  async readRules() {
    this.reads++;
    if (this.failNext) {
      this.failNext = false;
      throw new ServiceBusyError('throttled');
    }
    return this.stored;
  }
  async writeRules(rules: HouseRules, version: number, now: string) {
    if ((this.stored?.version ?? 0) !== version - 1) return false;
    this.stored = { ...rules, version, updatedAt: now };
    return true;
  }
}

/** The deployment's screen as the settings describe it: house rules, no content screen. */
export const screeningFor = (
  settings: Settings,
  rules: RulesStore = new MemoryRules(),
): Screening => screeningOf(settings, {}, rules);

/** A ULID for the given time with all-zero randomness, so it is the same on every run. */
export const fixedId = (timeMs: number) => ulid(timeMs, Buffer.alloc(10));

/**
 * An in-memory comment store. Like the repository, it decides the first-time policy itself:
 * a comment inserted with `ifKnownAuthor` is published only when its email hash is in
 * `knownAuthors`, otherwise it is kept as pending. `inserted` holds the records as the domain
 * handed them over; `records` what is stored, by comment id.
 */
export class FakeCommentStore implements CommentStore {
  readonly inserted: CommentRecord[] = [];
  readonly insertOptions: InsertOptions[] = [];
  readonly queries: CommentPageQuery[] = [];
  readonly finds: { articleId: string; commentId: string }[] = [];
  readonly bodyChanges: { current: CommentRecord; change: BodyChange }[] = [];
  readonly removed: CommentRecord[] = [];
  readonly records = new Map<string, CommentRecord>();
  readonly knownAuthors = new Set<string>();
  /** Articles' own settings, by article id, and commenters' records by commenterId. */
  readonly articles = new Map<string, ArticleSettings>();
  readonly commenters = new Map<string, CommenterGate>();
  /** The gate's reads, one for each comment created. */
  readonly gateReads: { articleId: string; commenterId: string }[] = [];
  insertError: Error | undefined;
  writeError: Error | undefined;

  constructor(private readonly pages: CommentPage[] = []) {}

  async gate(articleId: string, commenterId: string): Promise<GateRead> {
    this.gateReads.push({ articleId, commenterId });
    const commenter = this.commenters.get(commenterId);
    return {
      article: { ...(this.articles.get(articleId) ?? { closed: false }) },
      ...(commenter ? { commenter: { ...commenter } } : {}),
    };
  }

  async insert(record: CommentRecord, options: InsertOptions): Promise<CommentStatus> {
    if (this.insertError) throw this.insertError;
    this.inserted.push(record);
    this.insertOptions.push(options);
    const known = record.emailHash !== null && this.knownAuthors.has(record.emailHash);
    const status = options.ifKnownAuthor && !known ? 'pending' : record.status;
    this.records.set(record.commentId, { ...record, status });
    return status;
  }

  async page(query: CommentPageQuery): Promise<CommentPage> {
    this.queries.push(query);
    // Like the repository, only a first page carries the count.
    const empty = query.after === undefined ? { commentCount: 0 } : {};
    return this.pages.shift() ?? { ...empty, comments: [], nextAfter: null };
  }

  async find(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    this.finds.push({ articleId, commentId });
    const record = this.records.get(commentId);
    return record?.articleId === articleId ? { ...record } : undefined;
  }

  async findWithArticle(articleId: string, commentId: string) {
    const record = await this.find(articleId, commentId);
    return { record, article: { ...(this.articles.get(articleId) ?? { closed: false }) } };
  }

  async changeBody(current: CommentRecord, change: BodyChange): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.bodyChanges.push({ current, change });
    this.records.set(current.commentId, { ...current, ...change });
  }

  async remove(current: CommentRecord): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.removed.push(current);
    this.records.delete(current.commentId);
  }
}

/** An in-memory moderation store that records every call. */
export class FakeModerationStore implements ModerationStore {
  readonly listCalls: {
    status: CommentStatus;
    limit: number;
    after: Record<string, unknown> | undefined;
    articleId?: string;
    reported?: true;
  }[] = [];
  /** Comments whose reports a decision cleared without moving them. */
  readonly reportsCleared: CommentRecord[] = [];
  readonly statusChanges: { current: CommentRecord; status: CommentStatus; ground?: string }[] = [];
  readonly undos: { current: CommentRecord; decision: Decision }[] = [];
  /** When the store says each decision was made. */
  decisionAt = '2026-11-26T21:20:00.000Z';
  readonly removed: CommentRecord[] = [];
  readonly erasures: string[] = [];
  readonly erasureCounts: string[] = [];
  readonly countCalls: { status: CommentStatus; articleId?: string; cap: number }[] = [];
  readonly authorQueries: string[][] = [];
  readonly articleChanges: { articleId: string; change: StoredArticleChange }[] = [];
  readonly pins: { current: CommentRecord; max: number }[] = [];
  readonly unpins: CommentRecord[] = [];
  readonly records = new Map<string, ModeratedComment>();
  /** Email hashes with a published comment. */
  readonly publishedHashes = new Set<string>();
  /** Articles' own settings, by article id, as changeArticle leaves them. */
  readonly articles = new Map<string, ArticleSettings>();
  counts: Record<CommentStatus, BoundedCount> = {
    pending: { count: 0, capped: false },
    published: { count: 0, capped: false },
    spam: { count: 0, capped: false },
  };
  erased = 0;

  /** The pages `listArticles` answers, in turn; its calls. */
  readonly articlePages: ArticlePage[] = [];
  readonly articleListCalls: { limit: number; after: Record<string, unknown> | undefined }[] = [];

  constructor(readonly pages: ModerationPage[] = []) {}

  async listArticles(limit: number, after?: Record<string, unknown>): Promise<ArticlePage> {
    this.articleListCalls.push({ limit, after });
    return this.articlePages.shift() ?? { articleIds: [] };
  }

  async listByStatus(
    ...[status, limit, after, articleId, reported]: Parameters<ModerationStore['listByStatus']>
  ): Promise<ModerationPage> {
    this.listCalls.push({
      status,
      limit,
      after,
      ...(articleId ? { articleId } : {}),
      ...(reported ? { reported: true as const } : {}),
    });
    return this.pages.shift() ?? { comments: [] };
  }

  async countByStatus(
    status: CommentStatus,
    options: { articleId?: string; cap: number },
  ): Promise<BoundedCount> {
    this.countCalls.push({ status, ...options });
    return this.counts[status];
  }

  async publishedAuthors(emailHashes: readonly string[]): Promise<Set<string>> {
    this.authorQueries.push([...emailHashes]);
    return new Set(emailHashes.filter((hash) => this.publishedHashes.has(hash)));
  }

  async findById(commentId: string): Promise<ModeratedComment | undefined> {
    const record = this.records.get(commentId);
    return record ? { ...record } : undefined;
  }

  async setStatus(
    current: CommentRecord,
    status: CommentStatus,
    _tuning?: unknown,
    ground?: string,
  ): Promise<void> {
    this.statusChanges.push({ current, status, ...(ground ? { ground } : {}) });
    const unpinned = current.pinned && status !== 'published';
    const decision: Decision = {
      from: current.status,
      to: status,
      at: this.decisionAt,
      unpinned,
      grantedAuthor: false,
    };
    this.records.set(current.commentId, {
      ...current,
      status,
      pinned: current.pinned && !unpinned,
      decision,
    });
  }

  async undo(current: CommentRecord, decision: Decision): Promise<void> {
    this.undos.push({ current, decision });
    this.records.set(current.commentId, {
      ...current,
      status: decision.from,
      pinned: current.pinned || decision.unpinned,
    });
  }

  async remove(current: CommentRecord): Promise<void> {
    this.removed.push(current);
    this.records.delete(current.commentId);
  }

  async clearReports(current: CommentRecord): Promise<void> {
    this.reportsCleared.push(current);
    const { reportCount: _cleared, ...rest } = current;
    this.records.set(current.commentId, rest);
  }

  async erase(emailHash: string): Promise<number> {
    this.erasures.push(emailHash);
    return this.erased;
  }

  async countByEmail(emailHash: string): Promise<number> {
    this.erasureCounts.push(emailHash);
    return this.erased;
  }

  async article(articleId: string): Promise<StoredArticle> {
    const pinned = [...this.records.values()]
      .filter((record) => record.articleId === articleId && record.pinned)
      .map((record) => record.commentId);
    const settings = this.articles.get(articleId) ?? { closed: false };
    return { ...settings, articleId, commentCount: 0, pinned };
  }

  async changeArticle(articleId: string, change: StoredArticleChange): Promise<void> {
    this.articleChanges.push({ articleId, change });
    const next: Record<string, unknown> = {
      ...(this.articles.get(articleId) ?? { closed: false }),
    };
    for (const [name, value] of Object.entries(change)) {
      if (value === null || (value === false && name !== 'closed')) delete next[name];
      else next[name] = value;
    }
    this.articles.set(articleId, next as unknown as ArticleSettings);
  }

  async pin(current: CommentRecord, max: number): Promise<void> {
    this.pins.push({ current, max });
    this.records.set(current.commentId, { ...current, pinned: true });
  }

  async unpin(current: CommentRecord): Promise<void> {
    this.unpins.push(current);
    this.records.set(current.commentId, { ...current, pinned: false });
  }
}

/**
 * A reaction store holding one visitor's vote and the counts. `failures` makes that many
 * `change` calls fail with the given error before one succeeds. `staleMine`, when set, is what
 * the eventually consistent `read` reports as the visitor's vote (a read replica behind);
 * `currentVote` always tells the truth.
 */
export class FakeReactionStore implements ReactionStore, CountsStore {
  readonly reads: { articleId: string; visitorHash: string | undefined }[] = [];
  readonly changes: VoteChange[] = [];
  readonly charges: (RateCharge[] | undefined)[] = [];
  readonly countQueries: string[][] = [];
  readonly voteChecks: string[] = [];
  failures: Error[] = [];
  staleMine: string | null | undefined;

  constructor(
    public state: ReactionState = { counts: {}, mine: null },
    private readonly articleCounts = new Map<string, ArticleCounts>(),
  ) {}

  async read(articleId: string, visitorHash: string | undefined): Promise<ReactionState> {
    this.reads.push({ articleId, visitorHash });
    const mine = this.staleMine === undefined ? this.state.mine : this.staleMine;
    return { counts: { ...this.state.counts }, mine };
  }

  readonly viewReads: { articleId: string; visitorHash: string | undefined }[] = [];

  async readForView(articleId: string, visitorHash: string | undefined): Promise<ReactionState> {
    this.viewReads.push({ articleId, visitorHash });
    return { counts: { ...this.state.counts }, mine: this.state.mine };
  }

  async currentVote(_articleId: string, visitorHash: string): Promise<string | null> {
    this.voteChecks.push(visitorHash);
    return this.state.mine;
  }

  async change(change: VoteChange, charges?: RateCharge[]): Promise<void> {
    this.changes.push(change);
    this.charges.push(charges);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const counts = { ...this.state.counts };
    if (change.from !== null) counts[change.from] = (counts[change.from] ?? 0) - 1;
    if (change.to !== null) counts[change.to] = (counts[change.to] ?? 0) + 1;
    this.state = { counts, mine: change.to };
  }

  async counts(articleIds: readonly string[]): Promise<Map<string, ArticleCounts>> {
    this.countQueries.push([...articleIds]);
    return new Map([...this.articleCounts].filter(([id]) => articleIds.includes(id)));
  }
}

/** A tally store that records the articles it was asked to tally, in order. */
export class FakeTallyStore implements TallyStore {
  readonly tallied: string[] = [];
  /** Makes the tally of this article fail, after recording it. */
  failFor: { articleId: string; error: Error } | undefined;

  async tally(articleId: string): Promise<void> {
    this.tallied.push(articleId);
    if (this.failFor?.articleId === articleId) throw this.failFor.error;
  }
}

/** A signals store that records the comments it was asked to sync and to tally likes of. */
export class FakeSignalsStore implements SignalsStore {
  readonly synced: CommentPlace[] = [];
  readonly tallied: string[] = [];

  async sync(comment: CommentPlace): Promise<void> {
    this.synced.push(comment);
  }

  async tallyLikes(commentId: string): Promise<void> {
    this.tallied.push(commentId);
  }
}

/** A like store over a map of like items and counts, recording what it was asked. */
export class FakeLikeStore implements LikeStore {
  readonly changes: { change: LikeChange; charges: RateCharge[] }[] = [];
  readonly liked = new Set<string>();
  likes = 0;
  published = true;
  /** What the first read says of the voter's like, when it should disagree with the truth. */
  staleLiked: boolean | undefined;
  /** Errors the next changes throw, in order. */
  failures: Error[] = [];

  async read(_commentId: string, voterHash: string): Promise<LikeState> {
    const liked = this.staleLiked ?? this.liked.has(voterHash);
    this.staleLiked = undefined;
    return { published: this.published, likes: this.likes, liked };
  }

  async isLiked(_commentId: string, voterHash: string): Promise<boolean> {
    return this.liked.has(voterHash);
  }

  async change(change: LikeChange, charges: RateCharge[]): Promise<'changed' | 'unchanged'> {
    this.changes.push({ change, charges });
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.liked.has(change.voterHash) === change.like) return 'unchanged';
    if (change.like) this.liked.add(change.voterHash);
    else this.liked.delete(change.voterHash);
    this.likes += change.like ? 1 : -1;
    return 'changed';
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
    staff: false,
    pinned: false,
    ...overrides,
  };
}

export function commentRecord(overrides: Partial<CommentRecord> = {}): CommentRecord {
  return {
    ...publicFields(),
    email: 'ada@example.com',
    emailHash: hasher.hash('email', 'ada@example.com'),
    editTokenHash: null,
    status: 'published',
    ...overrides,
  };
}

/**
 * The public comment (docs/api.md) that publicFields() stands for, written out rather than
 * derived, so that a test comparing an answer with it pins the shape the API answers with.
 */
export function publicComment(overrides: Partial<PublicComment> = {}): PublicComment {
  return {
    id: fixedId(NOW),
    articleId: 'russia-north-korea-ties',
    parentId: null,
    author: anonymousAuthor('Ada', 'https://ada.example'),
    body: 'Plain text.',
    createdAt: new Date(NOW).toISOString(),
    editedAt: null,
    pinned: false,
    likes: 0,
    featured: false,
    ...overrides,
  };
}

/**
 * A comment store holding one comment (commentRecord() with `overrides`) with the edit token its
 * author was given, and a clock a minute after it was written: inside the edit window.
 */
export function ownedComment(overrides: Partial<CommentRecord> = {}) {
  const { token, hash } = issueEditToken(overrides.articleId ?? publicFields().articleId, hasher);
  const store = new FakeCommentStore();
  const record = commentRecord({ editTokenHash: hash, ...overrides });
  store.records.set(record.commentId, record);
  return { token, store, record, clock: new FakeClock(NOW + 60_000) };
}
