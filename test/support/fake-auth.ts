/** Unsigned JWTs and auth.json contents like the ones in the spec transcripts (test data, not secrets). */
export function fakeJwt(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.c2ln`;
}

export function fakeIdToken(claims: { email?: string; plan?: string; accountId?: string } = {}): string {
  const auth: Record<string, unknown> = {};
  if (claims.plan !== undefined) auth.chatgpt_plan_type = claims.plan;
  if (claims.accountId !== undefined) auth.chatgpt_account_id = claims.accountId;
  return fakeJwt({ email: claims.email ?? 'user@example.com', 'https://api.openai.com/auth': auth });
}

export interface FakeChatGptAuth {
  apiKey?: string | null;
  plan?: string;
  email?: string;
  accountId?: string;
  accessToken?: string;
  lastRefresh?: string;
}

export function chatGptAuthJson(options: FakeChatGptAuth = {}): Record<string, unknown> {
  const accountId = options.accountId ?? 'acc-123';
  return {
    OPENAI_API_KEY: options.apiKey ?? null,
    tokens: {
      id_token: fakeIdToken({ email: options.email, plan: options.plan, accountId }),
      access_token: options.accessToken ?? fakeJwt({ sub: 'user-1', exp: 4102444800 }),
      refresh_token: 'rt-fake-456',
      account_id: accountId,
    },
    last_refresh: options.lastRefresh ?? new Date().toISOString(),
  };
}
