import { expect } from 'chai';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateNested, validateSync } from '../../src/protocol/validators';

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

  it('applies the rules of nested objects on every validation, also rules added later', () => {
    class Inner {
      @IsInt() n: unknown = 1;
    }
    class Outer {
      @ValidateNested() @Type(() => Inner) inner: Inner = new Inner();
    }
    const bad = () => Object.assign(new Outer(), { inner: Object.assign(new Inner(), { n: 'x' }) });
    for (let i = 0; i < 3; i++) expect(failing(bad())).to.deep.equal(['inner']);
    expect(failing(new Outer())).to.deep.equal([]);
    IsString()(Inner.prototype, 'label');
    expect(failing(new Outer())).to.deep.equal(['inner']);
  });
});
