import { type TallyStore, tallyArticles } from '../../../lambda/domain/tally';
import { articlesOfVoteKeys } from '../../../lambda/store/keys';
import { FakeTallyStore } from '../fakes';

const vote = (visitorHash: string, articleId: string) => ({
  PK: `VOTE#${visitorHash}`,
  SK: `ARTICLE#${articleId}`,
});

describe('articlesOfVoteKeys', () => {
  it('gives the article of each vote key', () => {
    expect(
      articlesOfVoteKeys([
        vote('h4sh0fTheV1s1torIdXyzA', 'russia-north-korea-ties'),
        vote('aN0therV1s1torHash0123', 'election_2026'),
      ]),
    ).toEqual(['russia-north-korea-ties', 'election_2026']);
  });

  it('keeps dots, tildes, dashes and underscores of an article id as they are', () => {
    expect(
      articlesOfVoteKeys([
        vote('h4sh0fTheV1s1torIdXyzA', 'news.world~2026-11-26_a.b'),
        vote('h4sh0fTheV1s1torIdXyzA', '~.~'),
        vote('h4sh0fTheV1s1torIdXyzA', 'v1.2.3'),
      ]),
    ).toEqual(['news.world~2026-11-26_a.b', '~.~', 'v1.2.3']);
  });

  it('names each article once, in the order of its first vote', () => {
    expect(
      articlesOfVoteKeys([
        vote('visitorOne000000000000', 'b.article'),
        vote('visitorTwo000000000000', 'a~article'),
        vote('visitorThree0000000000', 'b.article'),
        vote('visitorOne000000000000', 'b.article'),
        vote('visitorTwo000000000000', 'a~article'),
      ]),
    ).toEqual(['b.article', 'a~article']);
  });

  it('ignores every key that is not a vote', () => {
    expect(
      articlesOfVoteKeys([
        // The count items, which the tally itself writes: they must not start another tally.
        { PK: 'ARTICLE#a.b', SK: 'COMMENT#!COUNT' },
        { PK: 'ARTICLE#a.b', SK: 'COMMENT#~COUNT' },
        { PK: 'ARTICLE#a.b', SK: 'COMMENT#2026-11-26T21:19:00.000Z#01KB0000000000000000000000' },
        { PK: 'REACTIONS#a.b#3', SK: 'COUNTS' },
        { PK: 'AUTHOR#em4ilHash0123456789abc', SK: 'AUTHOR' },
        {
          PK: 'CLIENT#cl1entHash0123456789ab',
          SK: 'RATE#reaction#minute#2026-11-26T21:19:00.000Z',
        },
        // Half a vote key, or none.
        { PK: 'VOTE#h4sh0fTheV1s1torIdXyzA' },
        { SK: 'ARTICLE#a.b' },
        { PK: 'VOTE#h4sh0fTheV1s1torIdXyzA', SK: 'COUNTS' },
        {},
      ]),
    ).toEqual([]);
  });

  it('gives no articles for no keys', () => {
    expect(articlesOfVoteKeys([])).toEqual([]);
  });
});

describe('tallyArticles', () => {
  it('tallies each article once, in order', async () => {
    const store = new FakeTallyStore();
    await tallyArticles(store, ['a', 'b.c', 'd~e']);
    expect(store.tallied).toEqual(['a', 'b.c', 'd~e']);
  });

  it('tallies nothing for no articles', async () => {
    const store = new FakeTallyStore();
    await tallyArticles(store, []);
    expect(store.tallied).toEqual([]);
  });

  it('runs at most 8 tallies at once, and every one of many articles', async () => {
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const store: TallyStore = {
      async tally(articleId) {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        done.push(articleId);
      },
    };
    const articles = Array.from({ length: 20 }, (_, index) => `article-${index}`);
    await tallyArticles(store, articles);
    expect(most).toBe(8);
    expect([...done].sort()).toEqual([...articles].sort());
  });

  it('passes on a failure, so the stream batch is retried', async () => {
    const store = new FakeTallyStore();
    const failure = new Error('throttled');
    store.failFor = { articleId: 'b', error: failure };
    await expect(tallyArticles(store, ['a', 'b', 'c'])).rejects.toBe(failure);
    expect(store.tallied).toContain('b');
  });
});
