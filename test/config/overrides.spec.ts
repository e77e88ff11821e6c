import { expect } from 'chai';
import { applyOverrides, OverrideSyntaxError, parseOverride } from '../../src/config/overrides';

describe('config overrides (-c key=value)', () => {
  it('parses JSON values and dotted keys', () => {
    expect(parseOverride('model="o3"')).to.deep.equal({ path: ['model'], value: 'o3' });
    expect(parseOverride('a.b.c=3')).to.deep.equal({ path: ['a', 'b', 'c'], value: 3 });
    expect(parseOverride('x=[1,"y"]')).to.deep.equal({ path: ['x'], value: [1, 'y'] });
    expect(parseOverride('flag=true')).to.deep.equal({ path: ['flag'], value: true });
    expect(parseOverride('t={"k":{"n":null}}')).to.deep.equal({ path: ['t'], value: { k: { n: null } } });
  });

  it('takes text that is not JSON as a string, keeping = inside the value', () => {
    expect(parseOverride('model=gpt-5')).to.deep.equal({ path: ['model'], value: 'gpt-5' });
    expect(parseOverride('url=http://x/?a=b')).to.deep.equal({ path: ['url'], value: 'http://x/?a=b' });
  });

  it('refuses malformed overrides and prototype keys', () => {
    for (const bad of ['model', '=x', 'a..b=1', '__proto__.x=1', 'a.constructor=1']) {
      expect(() => parseOverride(bad), bad).to.throw(OverrideSyntaxError);
    }
  });

  it('applies overrides to a copy of the tree, making tables on the way', () => {
    const tree = { model: 'a', profiles: { p: { model: 'b' } } };
    const out = applyOverrides(tree, { model: 'x', 'profiles.p.model': 'y', 'model_providers.mock.base_url': 'http://m' });
    expect(out).to.deep.equal({ model: 'x', profiles: { p: { model: 'y' } }, model_providers: { mock: { base_url: 'http://m' } } });
    expect(tree.model).to.equal('a');
  });
});
