import { matchRoute, ROUTES } from '../../lambda/routes';

describe('matchRoute', () => {
  it.each(ROUTES.map((route) => [route.method, route.path, route.id]))(
    'matches %s %s to %s',
    (method, path, id) => {
      const concrete = path
        .replace('{articleId}', 'some-article')
        .replace('{commentId}', '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C');
      const match = matchRoute(method, concrete);
      expect(match.kind === 'route' && match.route.id).toBe(id);
    },
  );

  it('gives the path parameters', () => {
    expect(matchRoute('GET', '/articles/russia-north-korea-ties/comments')).toEqual({
      kind: 'route',
      route: expect.objectContaining({ id: 'ListComments' }),
      pathParameters: { articleId: 'russia-north-korea-ties' },
    });
  });

  it.each([
    ['a%20b', 'a b'],
    ['caf%C3%A9', 'café'],
    ['a%2Fb', 'a/b'],
    ['a.b~c', 'a.b~c'],
  ])('decodes the path parameter %s', (raw, decoded) => {
    const match = matchRoute('GET', `/articles/${raw}/reactions`);
    expect(match.kind === 'route' && match.pathParameters).toEqual({ articleId: decoded });
  });

  it('matches methods case-insensitively', () => {
    expect(matchRoute('get', '/config').kind).toBe('route');
  });

  it.each([
    ['POST', '/config', ['GET']],
    ['HEAD', '/counts', ['GET']],
    ['DELETE', '/articles/x/comments', ['GET', 'POST']],
    ['POST', '/articles/x/reactions', ['GET', 'PUT', 'DELETE']],
  ])('lists the allowed methods for %s %s', (method, path, allowed) => {
    expect(matchRoute(method, path)).toEqual({ kind: 'wrong-method', allowed });
  });

  it.each([
    '/',
    '',
    '/configs',
    '/config/',
    '/articles',
    '/articles/',
    '/articles//comments',
    '/articles/x/comments/',
    '/articles/x/likes',
    '/ARTICLES/x/comments',
  ])('matches nothing for %j', (path) => {
    expect(matchRoute('GET', path)).toEqual({ kind: 'none' });
  });

  it.each(['/articles/%E0%A4%A/comments', '/articles/%/reactions', '/articles/%zz/comments'])(
    'matches nothing for the malformed escape in %s',
    (path) => {
      expect(matchRoute('GET', path)).toEqual({ kind: 'none' });
    },
  );
});

describe('ROUTES access', () => {
  it('marks every route under /admin/ for operators, and no other', () => {
    for (const route of ROUTES) {
      expect([route.path, route.auth]).toEqual([
        route.path,
        route.path.startsWith('/admin/') ? 'operator' : 'public',
      ]);
    }
  });

  it('gives the email-reading table access only to operators', () => {
    const admin = ROUTES.filter((route) => route.access.startsWith('admin-')).map(
      (route) => route.id,
    );
    // The import route writes and reads nothing, email included: it has access of its own.
    const operators = ROUTES.filter(
      (route) => route.auth === 'operator' && route.access !== 'import',
    ).map((route) => route.id);
    expect(admin).toEqual(operators);
    expect(admin).toEqual([
      'AdminListComments',
      'AdminModerateComment',
      'AdminDeleteComment',
      'AdminErase',
      'AdminTransparency',
      'AdminQueueCounts',
      'AdminPinComment',
      'AdminUnpinComment',
      'AdminFeatureComment',
      'AdminUnfeatureComment',
      'AdminErasureCount',
      'AdminGetArticle',
      'AdminChangeArticle',
      'AdminGetCommenter',
      'AdminChangeCommenter',
      'AdminFindCommenter',
      'AdminGetHouseRules',
      'AdminPutHouseRules',
      'AdminReply',
    ]);
  });

  it('gives the import access only to the operators’ import route', () => {
    expect(
      ROUTES.filter((route) => route.access === 'import').map((route) => [route.id, route.auth]),
    ).toEqual([['AdminImport', 'operator']]);
  });

  it('serves the authors’ own routes with own-comment access (an edit also reads its article)', () => {
    expect(
      ROUTES.filter((route) => route.path === '/comments/{commentId}').map((route) => [
        route.method,
        route.access,
      ]),
    ).toEqual([
      ['PATCH', 'own-comment-edit'],
      ['DELETE', 'own-comment'],
    ]);
  });
});

describe('GET and HEAD', () => {
  // HEAD is served by a route's GET handler (lambda/http/handler.ts): a GET must change nothing,
  // since mail scanners and link previews follow every link they see.
  const READS = new Set([
    'none',
    'comment-read',
    'reaction-read',
    'counts-read',
    'admin-list',
    'admin-counts',
    'admin-transparency',
    'admin-erasure-count',
    'admin-article-read',
    'admin-commenter-read',
    'admin-commenter-find',
    'admin-house-rules-read',
    'moderation-link-page',
    'subscription-read',
  ]);

  it('gives every GET route read-only table access', () => {
    const writing = ROUTES.filter((route) => route.method === 'GET' && !READS.has(route.access));
    expect(writing.map((route) => [route.id, route.access])).toEqual([]);
  });

  it('confirms a subscription by POST only, after a GET page', () => {
    expect(
      ROUTES.filter((route) => route.path === '/subscriptions/confirm').map((route) => [
        route.method,
        route.access,
      ]),
    ).toEqual([
      ['GET', 'subscription-read'],
      ['POST', 'subscription'],
    ]);
  });
});
