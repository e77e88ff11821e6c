/** What agentwire reads from a ChatGPT id token (AUTH.md §1). */
export interface IdTokenClaims {
  email?: string;
  planType?: string;
  accountId?: string;
}

export class IdTokenError extends Error {}

const AUTH_CLAIMS = 'https://api.openai.com/auth';

/**
 * Reads the claims of a JWT without checking its signature: the token came from our own
 * auth.json, and only display fields and the account id are taken from it.
 */
export function parseIdToken(jwt: string): IdTokenClaims {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) throw new IdTokenError('id_token is not a JWT');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw new IdTokenError('id_token payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw new IdTokenError('id_token payload is not an object');
  const claims = payload as Record<string, unknown>;
  const auth = (typeof claims[AUTH_CLAIMS] === 'object' && claims[AUTH_CLAIMS]) as Record<string, unknown> | false;
  return {
    email: typeof claims.email === 'string' ? claims.email : undefined,
    planType: auth && typeof auth.chatgpt_plan_type === 'string' ? auth.chatgpt_plan_type : undefined,
    accountId: auth && typeof auth.chatgpt_account_id === 'string' ? auth.chatgpt_account_id : undefined,
  };
}
