/**
 * Readers' signals in the moderation console: featuring a comment (an Editor's Pick) by button
 * or key, with Undo, and the Reported tab, which lists the comments readers' reports took out of
 * public view with the counts by reason and the explanations, never who reported them.
 */
import { newArticle, useBrowserSession } from './browser';
import { consolePage } from './console-page';

describe('moderation console, readers’ signals', () => {
  // Comments publish at once; two reports take one out of view; room for every report sent.
  const session = useBrowserSession({
    settings: {
      moderation: { policy: 'none' },
      reports: { threshold: 2 },
      rateLimits: { commentsPerMinute: 100, commentsPerHour: 1000 },
    },
  });
  const { seed, signIn, filterTo, rows } = consolePage(session);

  /** A reader's call to the public API, from Node. */
  const publicCall = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(new URL(path, session.local.url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  /** The ids of the article's featured comments, as readers get them. */
  const featuredIds = async (article: string) =>
    ((await publicCall(`/articles/${article}`)).json.featured as { id: string }[]).map(
      (comment) => comment.id,
    );

  /** Waits until the thread lists exactly these featured comments. */
  async function featuredBecomes(article: string, ids: string[]): Promise<void> {
    for (let waited = 0; JSON.stringify(await featuredIds(article)) !== JSON.stringify(ids); ) {
      waited += 100;
      if (waited > 20_000) throw new Error(`featured never became ${ids.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * A reader's report. The comment's signals item comes from the table stream a moment after it
   * is published, and a report before it is a 404: sent again until it is received.
   */
  async function report(id: string, visitor: string, body: Record<string, unknown>) {
    for (let waited = 0; ; waited += 100) {
      const answer = await publicCall(`/comments/${id}/reports`, 'POST', {
        visitorId: `reporter-${visitor}-0123456789`,
        ...body,
      });
      if (answer.status === 202) return;
      if (answer.status !== 404 || waited > 20_000) {
        throw new Error(`report: ${answer.status} ${JSON.stringify(answer.json)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('features a published comment by button and by key, and Undo takes it back', async () => {
    const article = newArticle('console-feature');
    const [first, second] = await seed(article, ['The best answer.', 'Also worth reading.']);
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await expect(rows(page)).toHaveCount(2);

    await rows(page).nth(1).getByRole('button', { name: 'Feature the comment by Reader' }).click();
    await expect(page.locator('.toast span')).toHaveText([
      'Featured: the comment by Reader (“Also worth reading.”), shown above the thread.',
    ]);
    await expect(rows(page).nth(1).getByText('Featured', { exact: true })).toBeVisible();
    await expect(
      rows(page).nth(1).getByRole('button', { name: 'Unfeature the comment by Reader' }),
    ).toBeVisible();
    await featuredBecomes(article, [second as string]);

    // f on the comment under the cursor (the first row); u undoes the last action.
    await page.keyboard.press('f');
    await expect(rows(page).nth(0).getByText('Featured', { exact: true })).toBeVisible();
    await featuredBecomes(article, [first as string, second as string]);
    await page.keyboard.press('u');
    await expect(rows(page).nth(0).getByText('Featured', { exact: true })).toHaveCount(0);
    await featuredBecomes(article, [second as string]);

    await rows(page)
      .nth(1)
      .getByRole('button', { name: 'Unfeature the comment by Reader' })
      .click();
    await expect(page.locator('.toast span').last()).toHaveText(
      'No longer featured: the comment by Reader (“Also worth reading.”).',
    );
    await featuredBecomes(article, []);
  });

  it('lists reported comments with counts by reason and explanations, never the reporter, and a decision clears the reports', async () => {
    const article = newArticle('console-reported');
    const [abusive, illegal, fine] = await seed(article, [
      'You are all idiots.',
      'Here is where she lives.',
      'A fair point, well made.',
    ]);
    await report(abusive as string, 'a', { reason: 'abuse', explanation: 'Insults readers.' });
    await report(abusive as string, 'b', { reason: 'spam' });
    await report(illegal as string, 'c', {
      reason: 'illegal',
      explanation: 'Publishes a private home address.',
      goodFaith: true,
      email: 'notifier@example.net',
    });
    await report(illegal as string, 'd', { reason: 'personal-information' });
    // One report: below the threshold, still published, not in the Reported tab.
    await report(fine as string, 'e', { reason: 'off-topic' });

    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: 'Reported' }).click();
    await expect(page.getByRole('tab', { name: 'Reported' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(rows(page).locator('.body')).toHaveText([
      'You are all idiots.',
      'Here is where she lives.',
    ]);
    const first = rows(page)
      .nth(0)
      .getByRole('group', { name: /^Reports on the comment/ });
    await expect(first.locator('.report-counts')).toHaveText('2 reports: Spam 1 · Abuse 1');
    await expect(first.locator('.explanations li')).toHaveText(['Abuse: Insults readers.']);
    const second = rows(page)
      .nth(1)
      .getByRole('group', { name: /^Reports on the comment/ });
    await expect(second.locator('.report-counts')).toHaveText(
      '2 reports: Personal information 1 · Illegal content 1',
    );
    await expect(second.locator('.explanations li')).toHaveText([
      'Illegal content: Publishes a private home address.',
    ]);
    // Never who reported: neither the notifier's address nor a reporter's visitor id.
    const shown = (await page.locator('#queue').textContent()) ?? '';
    expect(shown).not.toContain('notifier@example.net');
    expect(shown).not.toContain('reporter-');
    expect(page.url()).toContain('status=reported');

    // Approve: published again, its reports decided; spam: out of the tab too.
    await page.keyboard.press('a');
    await expect(rows(page).locator('.body')).toHaveText(['Here is where she lives.']);
    // A reported comment was published: its removal asks for the ground (4: personal information).
    await page.keyboard.press('s');
    await page.getByRole('dialog', { name: /^Why\?/ }).waitFor();
    await page.keyboard.press('4');
    await expect(page.locator('#queue .empty')).toHaveText('No reported comments.');
    await expect(page.locator('.toast span')).toHaveText([
      'Approved: the comment by Reader (“You are all idiots.”).',
      'Marked as spam: the comment by Reader (“Here is where she lives.”).',
    ]);
    const reportedIds = async (status: string) =>
      (
        await session.admin.call<{ comments: { id: string }[] }>(
          `/admin/comments?status=${status}&articleId=${article}&reported=true`,
        )
      ).comments.map((comment) => comment.id);
    expect(await reportedIds('pending')).toEqual([]);
    expect(await reportedIds('spam')).toEqual([]);
    // The comment below the threshold still has its one open report.
    expect(await reportedIds('published')).toEqual([fine]);

    // Reloaded, the address opens the Reported tab again.
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Reported' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
