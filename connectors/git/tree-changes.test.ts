import { describe, expect, it } from 'vitest';
import { parseRawDiff } from './tree-changes.js';
import { parseTreeListing } from './tree-listing.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const zero = '0'.repeat(40);

describe('parseRawDiff', () => {
  it('keeps the new side of additions, modifications, renames and copies, and notes removals', () => {
    const output = [
      `:000000 100644 ${zero} ${a} A`, 'new file.md',
      `:100644 100644 ${a} ${b} M`, 'docs/안내.md',
      `:100644 000000 ${a} ${zero} D`, 'gone.md',
      `:100644 100644 ${a} ${a} R100`, 'old name.md', 'new name.md',
      `:100644 100644 ${a} ${a} C75`, 'source.md', 'copy.md',
      `:120000 100644 ${a} ${b} T`, 'was-a-link.md',
      '',
    ].join('\0');
    const changes = parseRawDiff(output);
    expect([...changes.changedPaths].sort()).toEqual(['copy.md', 'docs/안내.md', 'new file.md', 'new name.md', 'was-a-link.md']);
    expect([...changes.removedPaths].sort()).toEqual(['gone.md', 'old name.md']);
  });
});

describe('parseTreeListing', () => {
  it('keeps regular files with their sizes, and marks unreadable sizes', () => {
    const output = [
      `100644 blob ${a}      12\tdocs/a b.md`,
      `100755 blob ${b}       3\trun.txt`,
      `120000 blob ${a}      10\tlink.md`,
      `160000 commit ${b}       -\tvendor/lib`,
      `100644 blob ${b}     BAD\tbroken.md`,
      '',
    ].join('\0');
    expect(parseTreeListing(output)).toEqual([
      { path: 'docs/a b.md', objectId: a, size: 12 },
      { path: 'run.txt', objectId: b, size: 3 },
      { path: 'broken.md', objectId: b, size: undefined },
    ]);
  });
});
