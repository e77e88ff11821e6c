import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKED_KEYS, OTHER_KNOWN_KEYS } from '../../src/config/config-schema';
import { PROFILE_KEYS } from '../../src/config/derive-settings';

const ROOT = join(__dirname, '..', '..', '..');

describe('docs/CONFIG.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'CONFIG.md'), 'utf8');

  it('names every config.toml key agentwire reads', () => {
    for (const key of [...Object.keys(CHECKED_KEYS), ...OTHER_KNOWN_KEYS, ...PROFILE_KEYS]) {
      // As `key`, or as a table header: [key] or [key.<name>].
      expect(doc, `CONFIG.md misses ${key}`).to.match(new RegExp(`\`${key}\`|\\[${key}[\\].]`));
    }
  });
});

describe('README.md and docs/*.md', () => {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

  it('link only to files a clone has, and do not point outside the repository', () => {
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.to.contain('../shared');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(join(ROOT, dirname(file), target)), `${file} links to ${target}`).to.equal(true);
      }
    }
  });
});
