import { sourcedChanges, sourceText, withSources } from './field-sources';
import type { Person } from './person.entity';

const now = new Date('2026-12-07T10:00:00.000Z');

describe('field sources', () => {
  const person = {
    email: 'ada@example.com',
    fullName: 'Ada Lovelace',
    department: 'Engineering',
    country: 'GB',
    roles: ['employee'],
  } as unknown as Person;

  it('names only the fields a change alters, by their CSV column', () => {
    expect(
      sourcedChanges(person, {
        department: 'Engineering',
        country: 'US',
        fullName: 'Ada King',
        region: undefined,
      }),
    ).toEqual(['full_name', 'country']);
  });

  it('names every given field of a new person, and roles when they differ', () => {
    expect(sourcedChanges(undefined, { email: 'x@example.com', department: null })).toEqual([
      'email',
      'department',
    ]);
    expect(sourcedChanges(person, { roles: ['employee'] })).toEqual([]);
    expect(sourcedChanges(person, { roles: ['hr', 'employee'] })).toEqual(['roles']);
  });

  it('keeps the sources of fields the change did not touch', () => {
    const before = { department: { source: 'csv', at: '2026-01-01T00:00:00.000Z' } };
    const after = withSources(before, ['country'], 'scim', now);
    expect(after).toEqual({
      department: before.department,
      country: { source: 'scim', at: now.toISOString() },
    });
    expect(before).not.toHaveProperty('country');
  });

  it('says where a field came from in words, and nothing when unknown', () => {
    const sources = withSources({}, ['department'], 'scim', now);
    expect(sourceText(sources, 'department', (at) => at.slice(0, 10))).toBe(
      'From the identity provider by SCIM, 2026-12-07',
    );
    expect(sourceText(sources, 'country', (at) => at)).toBeNull();
    expect(sourceText(null, 'department', (at) => at)).toBeNull();
  });
});
