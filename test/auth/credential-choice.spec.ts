import { expect } from 'chai';
import type { AuthFile } from '../../src/auth/auth-file';
import { chooseAuthMethod } from '../../src/auth/credential-choice';

function file(options: { key?: string; plan?: string; email?: string; tokens?: boolean }): AuthFile {
  const out: AuthFile = { apiKey: options.key ?? null };
  if (options.tokens !== false && (options.plan !== undefined || options.email !== undefined || options.tokens)) {
    out.tokens = { idToken: 'x.y.z', accessToken: 'at', refreshToken: 'rt', accountId: 'a', claims: { planType: options.plan, email: options.email } };
  }
  return out;
}

describe('chooseAuthMethod (AUTH.md §2)', () => {
  const rows: Array<[string, AuthFile, 'chatgpt' | 'apikey', 'chatgpt' | 'apikey' | undefined]> = [
    ['nothing', file({}), 'chatgpt', undefined],
    ['a key only', file({ key: 'k' }), 'chatgpt', 'apikey'],
    ['tokens only', file({ tokens: true, plan: 'pro' }), 'chatgpt', 'chatgpt'],
    ['tokens only, preferring apikey', file({ tokens: true, plan: 'pro' }), 'apikey', 'chatgpt'],
    ['pro + key', file({ key: 'k', plan: 'pro' }), 'chatgpt', 'chatgpt'],
    ['plus + key', file({ key: 'k', plan: 'plus' }), 'chatgpt', 'chatgpt'],
    ['an unknown plan + key', file({ key: 'k', plan: 'galaxy' }), 'chatgpt', 'chatgpt'],
    ['enterprise + key', file({ key: 'k', plan: 'enterprise' }), 'chatgpt', 'apikey'],
    ['business + key', file({ key: 'k', plan: 'business' }), 'chatgpt', 'apikey'],
    ['edu + key', file({ key: 'k', plan: 'edu' }), 'chatgpt', 'apikey'],
    ['no plan claim + key', file({ key: 'k', tokens: true }), 'chatgpt', 'apikey'],
    ['enterprise @openai.com + key', file({ key: 'k', plan: 'enterprise', email: ' A@OpenAI.COM ' }), 'chatgpt', 'chatgpt'],
    ['pro + key, preferring apikey', file({ key: 'k', plan: 'pro' }), 'apikey', 'apikey'],
  ];
  for (const [name, auth, preferred, expected] of rows) {
    it(`${name} → ${expected ?? 'not logged in'}`, () => {
      expect(chooseAuthMethod(auth, preferred)).to.equal(expected);
    });
  }
});
