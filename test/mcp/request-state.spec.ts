import { expect } from 'chai';
import { RequestStateSeal, callDigest, type RequestStatePayload } from '../../src/mcp/mrtr/request-state';

describe('RequestStateSeal (requestState of multi round-trip results)', () => {
  const payload: RequestStatePayload = { run: 'r1', keys: ['approval-call1'], exp: 1e15, call: callDigest('codex', { prompt: 'x' }), nonce: 'n1' };

  it('opens what it sealed', () => {
    const seal = new RequestStateSeal();
    expect(seal.open(seal.seal(payload))).to.deep.equal(payload);
  });

  it('refuses a state sealed by another instance (another process: another random key)', () => {
    expect(new RequestStateSeal().open(new RequestStateSeal().seal(payload))).to.equal(undefined);
  });

  it('refuses a changed payload, a changed MAC, and things that are no state at all', () => {
    const seal = new RequestStateSeal();
    const [v, body, mac] = seal.seal(payload).split('.') as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...payload, run: 'r2' })).toString('base64url');
    for (const bad of [`${v}.${changed}.${mac}`, `${v}.${body}.${mac.slice(0, -2)}AA`, `v2.${body}.${mac}`, '', 'v1..', 'v1.e30', `${v}.${body}.${mac}.x`]) {
      expect(seal.open(bad), bad).to.equal(undefined);
    }
  });

  it('refuses a validly signed payload of the wrong shape', () => {
    const seal = new RequestStateSeal();
    const sealed = seal.seal({ ...payload, keys: [1] } as unknown as RequestStatePayload);
    expect(seal.open(sealed)).to.equal(undefined);
  });

  it('binds the call: the digest ignores key order but not values', () => {
    expect(callDigest('codex', { a: 1, b: { c: 2, d: 3 } })).to.equal(callDigest('codex', { b: { d: 3, c: 2 }, a: 1 }));
    expect(callDigest('codex', { a: 1 })).not.to.equal(callDigest('codex', { a: 2 }));
    expect(callDigest('codex', { a: 1 })).not.to.equal(callDigest('codex-reply', { a: 1 }));
  });
});
