import { expect } from 'chai';
import { IsInt, IsOptional, IsString, validateSync } from '../../src/protocol/validators';

/** Property names that failed, for a compact comparison. */
function failing(object: object): string[] {
  return validateSync(object, { whitelist: true, forbidUnknownValues: true }).map((e) => e.property);
}

describe('validators: remembered rule lookups', () => {
  it('applies rules added to a class after it was first validated', () => {
    class Late {
      @IsString() name: unknown = 1;
    }
    expect(failing(new Late())).to.deep.equal(['name']);
    // A rule added later (as a decorator does when it runs) is seen by the next validation.
    IsInt()(Late.prototype, 'count');
    const late = Object.assign(new Late(), { name: 'ok', count: 'x' });
    expect(failing(late)).to.deep.equal(['count']);
  });

  it('keeps inherited rules, also for a subclass defined after its parent was validated', () => {
    class Parent {
      @IsString() id: unknown = 'a';
    }
    expect(failing(new Parent())).to.deep.equal([]);
    class Child extends Parent {
      @IsOptional() @IsInt() size?: unknown;
    }
    expect(failing(Object.assign(new Child(), { id: 2, size: 'big' })).sort()).to.deep.equal(['id', 'size']);
    expect(failing(Object.assign(new Child(), { id: 'b' }))).to.deep.equal([]);
  });
});
