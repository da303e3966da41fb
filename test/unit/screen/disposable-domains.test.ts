import { isDisposableDomain } from '../../../lambda/screen/disposable-domains';

describe('isDisposableDomain', () => {
  it.each([
    ['mailinator.com', true],
    ['guerrillamail.com', true],
    ['news.example', false],
    ['gmail.com', false],
  ])('%s: %s', async (domain, disposable) => {
    await expect(isDisposableDomain(domain)).resolves.toBe(disposable);
  });
});
