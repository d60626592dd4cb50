import { describe, expect, it } from 'vitest';
import { effectiveReaders, type GroupMembers, type ReadLevel, type SpaceViewers } from './effective-readers.js';

const level = (users: string[], groups: string[] = []): ReadLevel => ({ users: new Set(users), groups: new Set(groups) });
const space = (users: string[], groups: string[], anonymous = false): SpaceViewers => ({ ...level(users, groups), anonymous });

/** A directory of groups that records which groups were looked up. */
function directory(groups: Record<string, string[] | undefined>): GroupMembers & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (group: string) => {
    asked.push(group);
    const members = groups[group];
    return members === undefined ? undefined : new Set(members);
  };
  return Object.assign(lookup, { asked });
}

const closed = { anonymousIsEveryone: false };

describe('effectiveReaders', () => {
  it('gives an unrestricted page the space viewers, without looking up any group', async () => {
    const members = directory({});
    expect(await effectiveReaders(space(['Ann'.toLowerCase()], ['staff']), [], members, closed)).toEqual(['group:staff', 'user:ann']);
    expect(members.asked).toEqual([]);
  });

  it('keeps a restricted user who may view the space through a group, and drops one who may not', async () => {
    const members = directory({ staff: ['ann', 'bob'] });
    const readers = await effectiveReaders(space([], ['staff']), [level(['ann', 'carl'])], members, closed);
    expect(readers).toEqual(['user:ann']);
  });

  it('intersects a parent restriction with the page restriction', async () => {
    const members = directory({ staff: ['ann', 'bob', 'carl'], managers: ['ann'] });
    const parent = level([], ['managers']);
    const page = level(['ann', 'bob']);
    expect(await effectiveReaders(space([], ['staff']), [parent, page], members, closed)).toEqual(['user:ann']);
  });

  it('keeps a group named at every level as a group', async () => {
    const members = directory({});
    expect(await effectiveReaders(space([], ['hr']), [level([], ['hr']), level(['zoe'], ['hr'])], members, closed)).toEqual(['group:hr']);
    expect(members.asked).toEqual(['hr']); // only to check zoe, never to expand hr itself
  });

  it('turns a group named by only some levels into its members who pass the others, even when all do', async () => {
    const members = directory({ staff: ['ann', 'bob', 'carl'], payroll: ['ann', 'bob'] });
    expect(await effectiveReaders(space([], ['staff']), [level([], ['payroll'])], members, closed)).toEqual(['user:ann', 'user:bob']);
  });

  it('leaves out the members of a restricting group who may not view the space', async () => {
    const members = directory({ staff: ['ann'], payroll: ['ann', 'bob'] });
    expect(await effectiveReaders(space([], ['staff']), [level([], ['payroll'])], members, closed)).toEqual(['user:ann']);
  });

  it('never admits anyone through a group whose members cannot be read', async () => {
    const members = directory({ payroll: ['ann'] });
    expect(await effectiveReaders(space([], ['staff']), [level(['ann'], ['payroll'])], members, closed)).toEqual([]);
  });

  it('reads an anonymous grant as everyone only when configured to', async () => {
    const members = directory({});
    expect(await effectiveReaders(space([], [], true), [], members, closed)).toEqual([]);
    expect(await effectiveReaders(space([], [], true), [], members, { anonymousIsEveryone: true })).toEqual(['everyone']);
    expect(await effectiveReaders(space([], [], true), [level(['ann'])], members, { anonymousIsEveryone: true })).toEqual(['user:ann']);
  });

  it('keeps a restriction that names only users it cannot name as a restriction', async () => {
    const members = directory({});
    expect(await effectiveReaders(space(['ann'], []), [{ users: new Set(), groups: new Set(), restricted: true }], members, closed)).toEqual([]);
  });

  it('treats an empty restriction level as no restriction', async () => {
    const members = directory({});
    expect(await effectiveReaders(space(['ann'], []), [level([]), level([], [])], members, closed)).toEqual(['user:ann']);
  });
});
