import { redirectUriPolicy } from './identity-provider';

describe('redirect URI policy', () => {
  const configured = ['http://127.0.0.1:8080/auth/callback', 'https://shop.example/auth/callback'];

  it('defaults to the first configured URI and accepts exact matches', () => {
    const policy = redirectUriPolicy(configured, false);
    expect(policy.default).toBe(configured[0]);
    expect(configured.every(policy.isAllowed)).toBe(true);
    expect(policy.isAllowed('http://127.0.0.1:9999/auth/callback')).toBe(false);
  });

  it('with the local provider, accepts a loopback URI on any port but nothing else', () => {
    const policy = redirectUriPolicy(configured, true);
    expect(policy.isAllowed('http://127.0.0.1:9999/auth/callback')).toBe(true);
    expect(policy.isAllowed('http://127.0.0.1:9999/other')).toBe(false);
    expect(policy.isAllowed('http://evil.example:8080/auth/callback')).toBe(false);
    expect(policy.isAllowed('https://shop.example:444/auth/callback')).toBe(false);
  });
});
