/**
 * Shared pieces of the moderation, own-comment and rate-limit integration tests: an API whose
 * every non-operator response is checked for the emails sent through it, a clock tests move by
 * hand, and reads of the items that hold an article's comment count.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { normaliseEmail } from '../../lambda/domain/moderation';
import type { MailSettings } from '../../lambda/domain/notification-mails';
import type { Runtime } from '../../lambda/runtime';
import { type Api, type ApiResponse, createApi } from '../support/api';
import type { TestTable } from '../support/dynamodb';

/**
 * Every email sent in a request body (any route), and its keyed hash as the table stores it.
 * Guarded APIs refuse to hand a test any non-/admin/ response that contains one of them.
 */
export class EmailGuard {
  private readonly emails = new Set<string>();
  private readonly hashes = new Set<string>();
  /** How many non-operator responses were checked; a test of the guard can assert it ran. */
  checked = 0;

  remember(email: string, runtime: Runtime): void {
    this.emails.add(email.toLowerCase());
    this.emails.add(normaliseEmail(email));
    this.hashes.add(runtime.hasher.hash('email', normaliseEmail(email)));
  }

  /** The guarded forms this text contains (emails in any case, hashes exactly). */
  leaksIn(text: string): string[] {
    const lower = text.toLowerCase();
    return [
      ...[...this.emails].filter((email) => lower.includes(email)),
      ...[...this.hashes].filter((hash) => text.includes(hash)),
    ];
  }

  /** The API of `runtime`, guarded: a leak fails the test at the response that leaked. */
  api(runtime: Runtime): Api {
    const inner = createApi(runtime);
    return async (method, path, request = {}) => {
      const body = request.body as { email?: unknown } | undefined;
      if (body && typeof body === 'object' && typeof body.email === 'string') {
        this.remember(body.email, runtime);
      }
      const response = await inner(method, path, request);
      if (!path.startsWith('/admin/')) {
        this.checked += 1;
        expect({ method, path, leaks: this.leaksIn(exposed(response)) }).toEqual({
          method,
          path,
          leaks: [],
        });
      }
      return response;
    };
  }
}

/** Everything a client receives: the headers and the body text. */
export function exposed(response: ApiResponse): string {
  return `${JSON.stringify(response.headers)}\n${response.text}`;
}

/** A clock that moves only when a test moves it. */
export class ManualClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
  set(time: number): void {
    this.now = time;
  }
}

/**
 * A start time far in the future, on the hour: rate-limit windows written at fake times must
 * not be removed by the table's TTL while a test compares scans.
 */
export const FUTURE_HOUR = Date.parse('2031-03-14T09:00:00.000Z');

/** The mail settings of the notification tests: a site, its pages, one moderator. */
export const TEST_MAIL: MailSettings = {
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  apiUrl: 'https://api.news.example',
  moderatorEmails: ['moderator@news.example'],
  digestSeconds: 300,
};

/** The article's comment count as both of its stats items hold it (undefined: no item yet). */
export async function storedCounts(
  table: TestTable,
  articleId: string,
): Promise<{ head: unknown; tail: unknown }> {
  const read = async (SK: string) => {
    const output = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { PK: `ARTICLE#${articleId}`, SK },
        ConsistentRead: true,
      }),
    );
    return output.Item?.commentCount;
  };
  return { head: await read('COMMENT#!COUNT'), tail: await read('COMMENT#~COUNT') };
}

/** The stored comment item with this id, from a full consistent scan. */
export async function storedComment(
  table: TestTable,
  commentId: string,
): Promise<Record<string, unknown> | undefined> {
  return (await table.scanAll()).find(
    (item) => item.entity === 'Comment' && item.commentId === commentId,
  );
}

export interface Published {
  articleId: string;
  commentCount: number;
  ids: string[];
}

/** What the public sees of an article: the listed ids and both counts, which must agree. */
export async function publicView(api: Api, articleId: string): Promise<Published> {
  const list = await api('GET', `/articles/${articleId}/comments`, { query: { limit: '100' } });
  expect(list.status).toBe(200);
  const counts = await api('GET', '/counts', { query: { articles: articleId } });
  expect(counts.status).toBe(200);
  const commentCount = list.json.commentCount as number;
  const articles = counts.json.articles as Record<string, { commentCount: number }>;
  expect(articles[articleId]?.commentCount).toBe(commentCount);
  return {
    articleId,
    commentCount,
    ids: (list.json.comments as { id: string }[]).map((comment) => comment.id),
  };
}
