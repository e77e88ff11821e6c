import { REVIEW_DECISIONS, type ReviewDecision } from '../protocol/values';

export { REVIEW_DECISIONS, type ReviewDecision } from '../protocol/values';

/** Whether `value` is one of the four {@link ReviewDecision} strings. */
export function isReviewDecision(value: unknown): value is ReviewDecision {
  return typeof value === 'string' && (REVIEW_DECISIONS as readonly string[]).includes(value);
}

/**
 * agentwire's `requestedSchema` for `elicitation/create` (WIRE.md §8.3). It has no `required`, so a
 * client that shows no form can still accept with empty content (which then means `approved`).
 */
export const DECISION_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: [...REVIEW_DECISIONS] },
  },
} as const;

/**
 * A reply mapped to a decision. `usable` is false when the reply carried no decision we could read
 * and `denied` was chosen by default, so the caller can say so in the turn's events.
 */
export interface MappedReview {
  decision: ReviewDecision;
  usable: boolean;
}

/**
 * The single mapping of WIRE.md §8.3 for every approval reply (`execCommandApproval`,
 * `applyPatchApproval`, `elicitation/create`): a valid `decision` wins; otherwise MCP's
 * `action` — `accept` takes `content.decision`, or `approved` when content names none, `decline`
 * is `denied`, `cancel` is `abort`; anything else is `denied` and unusable, never a hang.
 */
export function toReviewDecision(reply: unknown): MappedReview {
  if (!isPlainObject(reply)) return deniedUnusable();
  if (isReviewDecision(reply.decision)) return { decision: reply.decision, usable: true };
  switch (reply.action) {
    case 'accept':
      return fromAcceptedContent(reply.content);
    case 'decline':
      return { decision: 'denied', usable: true };
    case 'cancel':
      return { decision: 'abort', usable: true };
    default:
      return deniedUnusable();
  }
}

function fromAcceptedContent(content: unknown): MappedReview {
  // MCP makes `content` optional, and a client with no form accepts without one.
  if (content === undefined) return { decision: 'approved', usable: true };
  if (!isPlainObject(content)) return deniedUnusable();
  if (content.decision === undefined) return { decision: 'approved', usable: true };
  // A decision the client did choose but we cannot read must not turn into an approval.
  return isReviewDecision(content.decision) ? { decision: content.decision, usable: true } : deniedUnusable();
}

function deniedUnusable(): MappedReview {
  return { decision: 'denied', usable: false };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
