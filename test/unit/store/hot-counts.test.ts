import { HotCounts } from '../../../lambda/store/hot-counts';

const POLICY = { hotViewsPerSecond: 3, maxAgeMs: 1_000, maxArticles: 2 };
const T0 = Date.parse('2026-11-27T12:00:00.000Z');

/** `views` views of `article` at `at`, each having read `counts`. */
function view(hot: HotCounts, article: string, at: number, views = 1, counts = { happy: views }) {
  for (let i = 0; i < views; i++) hot.viewed(article, counts, at);
}

describe('HotCounts', () => {
  it('keeps no copy of an article viewed less often than the hot rate', () => {
    const hot = new HotCounts(POLICY);
    view(hot, 'quiet', T0, 2);
    expect(hot.recent('quiet', T0)).toBeUndefined();
  });

  it('keeps the counts read by the view that makes the article hot, and answers with them', () => {
    const hot = new HotCounts(POLICY);
    view(hot, 'viral', T0, 2, { happy: 1 });
    hot.viewed('viral', { happy: 7 }, T0 + 10);
    expect(hot.recent('viral', T0 + 10)).toEqual({ happy: 7 });
    expect(hot.recent('viral', T0 + 1_009)).toEqual({ happy: 7 });
  });

  it('stops answering once the copy is as old as maxAgeMs', () => {
    const hot = new HotCounts(POLICY);
    view(hot, 'viral', T0, 3);
    expect(hot.recent('viral', T0 + 999)).toBeDefined();
    expect(hot.recent('viral', T0 + 1_000)).toBeUndefined();
  });

  it('counts views per second: three views spread over two seconds are not hot', () => {
    const hot = new HotCounts(POLICY);
    view(hot, 'steady', T0, 2);
    view(hot, 'steady', T0 + 1_000, 1);
    expect(hot.recent('steady', T0 + 1_000)).toBeUndefined();
  });

  it('keeps its own copy of the counts, whatever the caller does with them later', () => {
    const hot = new HotCounts(POLICY);
    const counts = { happy: 3 };
    view(hot, 'viral', T0, 3, counts);
    counts.happy = 99;
    expect(hot.recent('viral', T0)).toEqual({ happy: 3 });
  });

  it('follows at most maxArticles, letting the one followed longest go', () => {
    const hot = new HotCounts(POLICY);
    view(hot, 'first', T0, 3);
    view(hot, 'second', T0, 3);
    view(hot, 'third', T0, 3);
    expect(hot.size).toBe(2);
    expect(hot.recent('first', T0)).toBeUndefined();
    expect(hot.recent('second', T0)).toBeDefined();
    expect(hot.recent('third', T0)).toBeDefined();
  });
});
