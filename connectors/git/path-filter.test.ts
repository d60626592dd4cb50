import { describe, expect, it } from 'vitest';
import { defaultExcludePatterns, defaultIncludePatterns } from './git-connector-config.js';
import { createPathFilter } from './path-filter.js';

describe('createPathFilter with the defaults', () => {
  const filter = createPathFilter(defaultIncludePatterns, defaultExcludePatterns);

  it.each(['README.md', 'Guide.MARKDOWN', 'a/b/notes.txt', 'manual/index.rst', 'book/chapter.adoc', 'docs/spec.pdf', 'docs/team/plan.DOCX', 'docs/deck.pptx', 'docs/안내/휴가 정책.md'])(
    'indexes %s',
    (path) => expect(filter(path)).toBe(true),
  );

  it.each(['src/index.ts', 'docs/logo.png', 'spec.pdf', 'node_modules/x/README.md', 'a/node_modules/b/README.md', '.github/PULL_REQUEST_TEMPLATE.md'])('leaves out %s', (path) =>
    expect(filter(path)).toBe(false),
  );
});
