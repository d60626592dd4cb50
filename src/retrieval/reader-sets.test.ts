import { describe, expect, it } from 'vitest';
import { readerSets } from './reader-sets.js';

describe('readerSets', () => {
  it('adds everyone to each set and keeps one clause per distinct set', () => {
    expect(readerSets(['group:hr', 'user:ann'])).toEqual([['everyone', 'group:hr', 'user:ann']]);
    const members = Array.from({ length: 500 }, (_, index) => [`group:team-${index % 20}`, 'group:staff']);
    expect(readerSets(['group:team-0', 'group:staff'], members)).toHaveLength(20);
  });

  it('drops a set that contains another, since the smaller one already decides', () => {
    const sets = readerSets(['group:hr', 'group:staff', 'user:ann'], [['group:staff'], ['group:staff', 'group:finance']]);
    expect(sets).toEqual([['everyone', 'group:staff']]);
  });

  it('reduces to public documents when one reader holds nothing but everyone', () => {
    expect(readerSets(['group:hr'], [['group:engineering'], []])).toEqual([['everyone']]);
  });

  it('keeps sets that overlap without containing each other', () => {
    expect(readerSets(['group:hr'], [['group:engineering']])).toEqual([
      ['everyone', 'group:hr'],
      ['everyone', 'group:engineering'],
    ]);
  });
});
