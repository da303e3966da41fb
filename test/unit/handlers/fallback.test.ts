import { handler } from '../../../lambda/handlers/fallback';
import { httpEvent } from '../../support/events';
import { answer, PROBLEM_TYPE } from './support';

describe('fallback handler', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/nothing-here'],
    ['GET', '/articles/x'],
    ['GET', '/articles/x/comments/extra'],
    ['GET', '/admin'],
    ['GET', '/admin/comments/x/extra'],
    ['GET', '/comments'],
  ])('answers 404 problem+json for %s %s', async (method, path) => {
    const result = answer(await handler(httpEvent(method, path)));
    expect(result.status).toBe(404);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(result.headers.allow).toBeUndefined();
  });

  it.each([
    ['POST', '/config', 'GET'],
    ['DELETE', '/counts', 'GET'],
    ['PUT', '/articles/x/comments', 'GET, POST'],
    ['POST', '/articles/x/reactions', 'GET, PUT, DELETE'],
    ['PATCH', '/articles/x/reactions', 'GET, PUT, DELETE'],
    ['POST', '/admin/comments', 'GET'],
    ['GET', '/admin/comments/x', 'PATCH, DELETE'],
    ['DELETE', '/admin/erasures', 'POST, GET'],
    ['POST', '/admin/articles/x', 'GET, PATCH'],
    ['GET', '/comments/x', 'PATCH, DELETE'],
  ])('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const result = answer(await handler(httpEvent(method, path)));
    expect(result.status).toBe(405);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers.allow).toBe(allow);
    expect(result.body).toMatchObject({ title: 'Method Not Allowed', status: 405 });
  });
});
