import { expect } from 'chai';
import { MAX_JSON_DEPTH, exceedsDepth } from '../../src/router/json-depth';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('exceedsDepth', () => {
  it('counts a bare object or array as one level and primitives as none', () => {
    expect(exceedsDepth('x', 0)).to.equal(false);
    expect(exceedsDepth(null, 0)).to.equal(false);
    expect(exceedsDepth({}, 1)).to.equal(false);
    expect(exceedsDepth({}, 0)).to.equal(true);
    expect(exceedsDepth([[]], 1)).to.equal(true);
  });

  it('accepts exactly the limit and refuses one more', () => {
    expect(exceedsDepth(nested(MAX_JSON_DEPTH))).to.equal(false);
    expect(exceedsDepth(nested(MAX_JSON_DEPTH + 1))).to.equal(true);
  });

  it('finds a deep branch next to wide shallow ones', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    expect(exceedsDepth({ wide, deep: nested(300) })).to.equal(true);
    expect(exceedsDepth({ wide, deep: nested(100) })).to.equal(false);
  });

  it('walks 1,000,000 levels without overflowing the stack', () => {
    expect(exceedsDepth(nested(1_000_000), 2_000_000)).to.equal(false);
  });
});
