import { expect } from 'chai';
import { contextWindowFor, isReasoningFamily, supportsVerbosity } from '../../src/config/model-families';

describe('model families', () => {
  it('knows the measured context windows and returns null for unknown models', () => {
    const measured: Record<string, number> = {
      'gpt-5': 400000,
      'gpt-4.1': 1047576,
      o3: 200000,
      'codex-mini-latest': 200000,
      'gpt-4o': 128000,
      'gpt-oss-20b': 96000,
      'o4-mini': 200000,
      'gpt-4.1-mini': 1047576,
      'gpt-oss-120b': 96000,
    };
    for (const [model, window] of Object.entries(measured)) expect(contextWindowFor(model), model).to.equal(window);
    expect(contextWindowFor('gpt-5-mini')).to.equal(400000);
    expect(contextWindowFor('mock-model')).to.equal(null);
  });

  it('tells which models get reasoning and verbosity on the Responses API', () => {
    for (const m of ['gpt-5', 'gpt-5-mini', 'o3', 'o3-pro', 'o4-mini', 'codex-mini-latest']) expect(isReasoningFamily(m), m).to.equal(true);
    for (const m of ['gpt-4.1', 'gpt-4o', 'mock-model', 'gpt-oss-20b']) expect(isReasoningFamily(m), m).to.equal(false);
    expect(supportsVerbosity('gpt-5')).to.equal(true);
    expect(supportsVerbosity('o3')).to.equal(false);
  });
});
