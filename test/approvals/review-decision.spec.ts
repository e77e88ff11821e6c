import { expect } from 'chai';
import { DECISION_SCHEMA, isReviewDecision, toReviewDecision, type MappedReview } from '../../src/approvals/review-decision';

describe('toReviewDecision (WIRE.md §8.3)', () => {
  const cases: Array<[string, unknown, MappedReview]> = [
    // §8.1 / §8.2: the codex reply
    ['{"decision":"approved"}', { decision: 'approved' }, { decision: 'approved', usable: true }],
    ['{"decision":"approved_for_session"}', { decision: 'approved_for_session' }, { decision: 'approved_for_session', usable: true }],
    ['{"decision":"denied"}', { decision: 'denied' }, { decision: 'denied', usable: true }],
    ['{"decision":"abort"}', { decision: 'abort' }, { decision: 'abort', usable: true }],
    ['{} (no decision)', {}, { decision: 'denied', usable: false }],
    ['{"decision":"bogus"}', { decision: 'bogus' }, { decision: 'denied', usable: false }],
    ['{"decision":"APPROVED"}', { decision: 'APPROVED' }, { decision: 'denied', usable: false }],
    // §8.3: MCP ElicitResult
    ['{"action":"accept","content":{}}', { action: 'accept', content: {} }, { decision: 'approved', usable: true }],
    ['{"action":"accept"}', { action: 'accept' }, { decision: 'approved', usable: true }],
    ['{"action":"accept","content":{"decision":"denied"}}', { action: 'accept', content: { decision: 'denied' } }, { decision: 'denied', usable: true }],
    [
      '{"action":"accept","content":{"decision":"approved_for_session"}}',
      { action: 'accept', content: { decision: 'approved_for_session' } },
      { decision: 'approved_for_session', usable: true },
    ],
    ['{"action":"accept","content":{"decision":"abort"}}', { action: 'accept', content: { decision: 'abort' } }, { decision: 'abort', usable: true }],
    ['{"action":"accept","content":{"decision":"bogus"}}', { action: 'accept', content: { decision: 'bogus' } }, { decision: 'denied', usable: false }],
    ['{"action":"accept","content":{"decision":null}}', { action: 'accept', content: { decision: null } }, { decision: 'denied', usable: false }],
    ['{"action":"accept","content":"approved"}', { action: 'accept', content: 'approved' }, { decision: 'denied', usable: false }],
    ['{"action":"decline"}', { action: 'decline' }, { decision: 'denied', usable: true }],
    ['{"action":"cancel"}', { action: 'cancel' }, { decision: 'abort', usable: true }],
    ['{"action":"bogus"}', { action: 'bogus' }, { decision: 'denied', usable: false }],
    // a valid decision wins over the action
    ['{"decision":"approved","action":"decline"}', { decision: 'approved', action: 'decline' }, { decision: 'approved', usable: true }],
    ['{"decision":"bogus","action":"cancel"}', { decision: 'bogus', action: 'cancel' }, { decision: 'abort', usable: true }],
    // not a result object at all
    ['null', null, { decision: 'denied', usable: false }],
    ['undefined', undefined, { decision: 'denied', usable: false }],
    ['a string', 'approved', { decision: 'denied', usable: false }],
    ['a number', 1, { decision: 'denied', usable: false }],
    ['an array', ['approved'], { decision: 'denied', usable: false }],
  ];
  for (const [name, reply, expected] of cases) {
    it(`${name} → ${expected.decision}${expected.usable ? '' : ' (unusable)'}`, () => {
      expect(toReviewDecision(reply)).to.deep.equal(expected);
    });
  }
});

describe('isReviewDecision', () => {
  it('accepts exactly the four decisions', () => {
    for (const d of ['approved', 'approved_for_session', 'denied', 'abort']) expect(isReviewDecision(d)).to.equal(true);
    for (const d of ['Approved', 'approve', '', null, undefined, 1, {}]) expect(isReviewDecision(d)).to.equal(false);
  });
});

describe('DECISION_SCHEMA', () => {
  it('is the requestedSchema of WIRE.md §8.3', () => {
    expect(JSON.parse(JSON.stringify(DECISION_SCHEMA))).to.deep.equal({
      type: 'object',
      properties: { decision: { type: 'string', enum: ['approved', 'approved_for_session', 'denied', 'abort'] } },
    });
  });
});
