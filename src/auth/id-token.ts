/** What agentwire reads from a ChatGPT id token (AUTH.md §1). */
export interface IdTokenClaims {
  email?: string;
  planType?: string;
  accountId?: string;
  /** Read by the login flow only, for the success page (AUTH.md §4). */
  organizationId?: string;
  projectId?: string;
  completedPlatformOnboarding?: boolean;
  isOrgOwner?: boolean;
}

/** The id_token is not a readable JWT; auth.json holding it cannot be used. */
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
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new IdTokenError('id_token payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw new IdTokenError('id_token payload is not an object');
  const claims = payload as Record<string, unknown>;
  const auth = (typeof claims[AUTH_CLAIMS] === 'object' && claims[AUTH_CLAIMS]) as Record<string, unknown> | false;
  const text = (key: string) => (auth && typeof auth[key] === 'string' ? auth[key] : undefined);
  const flag = (key: string) => (auth && typeof auth[key] === 'boolean' ? auth[key] : undefined);
  const out: IdTokenClaims = {
    email: typeof claims.email === 'string' ? claims.email : undefined,
    planType: text('chatgpt_plan_type'),
    accountId: text('chatgpt_account_id'),
  };
  // Only set when present, so the usual claims compare equal with and without the login fields.
  const extra: Partial<IdTokenClaims> = {
    organizationId: text('organization_id'),
    projectId: text('project_id'),
    completedPlatformOnboarding: flag('completed_platform_onboarding'),
    isOrgOwner: flag('is_org_owner'),
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
