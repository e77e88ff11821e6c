import { expect } from 'chai';
import { InvalidParamsError } from '../../src/router/errors';
import { prepareParams } from '../../src/router/params-validation';
import { Expose } from 'class-transformer';
import { IsOptional, IsString } from '../../src/validation/class-validator';

class OptionalParams {
  @IsOptional() @IsString() cursor?: string;
}

class RequiredParams {
  @IsString() conversationId!: string;
}

/** A field with an initialiser and no decorator: validation (whitelist) strips it. */
class InitialisedParams {
  @IsOptional() @IsString() cursor?: string;
  extra = 'set by the class';
}

/** An exposed field: the transform of `{}` sets it to undefined as an own member. */
class ExposedParams {
  @Expose({ name: 'wire_name' }) @IsOptional() @IsString() wireName?: string;
}

describe('prepareParams: empty params', () => {
  const meta = (params: new () => object) => ({ name: 'm', params });

  it('gives a fresh instance of the class every time, with or without _meta', () => {
    const first = prepareParams(meta(OptionalParams), {}).params;
    const second = prepareParams(meta(OptionalParams), { _meta: { progressToken: 1 } }).params;
    expect(first).to.be.instanceOf(OptionalParams);
    expect(second).to.be.instanceOf(OptionalParams);
    expect(second).to.not.equal(first);
    expect(second).to.not.have.property('_meta');
  });

  it('still refuses {} for a class with a required member, every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => prepareParams(meta(RequiredParams), {})).to.throw(InvalidParamsError, /conversationId/);
    }
  });

  it('validates as before once {} passed: a bad member is still refused', () => {
    prepareParams(meta(OptionalParams), {});
    expect(() => prepareParams(meta(OptionalParams), { cursor: 5 })).to.throw(InvalidParamsError, /cursor/);
  });

  it('strips an undecorated initialised field on every call, not only the first', () => {
    for (let i = 0; i < 3; i++) expect(prepareParams(meta(InitialisedParams), {}).params).to.not.have.property('extra');
  });

  it('keeps the transformed instance of {} where it has own members, on every call', () => {
    for (let i = 0; i < 3; i++) {
      const params = prepareParams(meta(ExposedParams), {}).params;
      expect(params).to.be.instanceOf(ExposedParams);
      expect(Object.keys(params as object)).to.deep.equal(['wireName']);
    }
  });
});

describe('prepareParams: the kept rule lookups', () => {
  class Growing {
    @IsOptional() @IsString() name?: string;
  }
  const meta = { name: 'm', params: Growing };

  it('validate the same way on every call, and follow a rule added later', () => {
    for (let i = 0; i < 3; i++) {
      expect(prepareParams(meta, { name: 'x', other: 5 }).params).to.deep.equal(Object.assign(new Growing(), { name: 'x' }));
      expect(() => prepareParams(meta, { name: 5 })).to.throw(InvalidParamsError, /name: must be a string/);
    }
    // A rule added after the class was validated (a plugin's decorator): the lookups start again.
    IsOptional()(Growing.prototype, 'other');
    IsString()(Growing.prototype, 'other');
    expect(() => prepareParams(meta, { name: 'x', other: 5 })).to.throw(InvalidParamsError, /other: must be a string/);
    expect(prepareParams(meta, { name: 'x', other: 'kept' }).params).to.deep.include({ other: 'kept' });
  });
});
