import { fromScimUser, withRemovals } from './scim-user.mapper';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe(fromScimUser.name, () => {
  const sut = fromScimUser;

  it('reads Entra ID’s strings for booleans and its bare manager id', () => {
    expect(sut({ active: 'False', [ENTERPRISE]: { manager: 'm-1' } })).toMatchObject({
      active: false,
      managerId: 'm-1',
    });
    expect(sut({ active: 'True' }).active).toBe(true);
    expect(() => sut({ active: 'maybe' })).toThrow(/true or false/);
  });

  it('takes the primary email, else the first, and names case-insensitively (RFC 7643 §2.1)', () => {
    expect(
      sut({ Emails: [{ value: 'home@x.example' }, { value: 'work@x.example', primary: 'true' }] })
        .email,
    ).toBe('work@x.example');
    expect(sut({ emails: [{ value: 'first@x.example' }, { value: 'b@x.example' }] }).email).toBe(
      'first@x.example',
    );
  });

  it('builds the full name from name.formatted, else displayName, else given and family names', () => {
    expect(sut({ name: { formatted: 'A B', givenName: 'C' }, displayName: 'D' }).fullName).toBe(
      'A B',
    );
    expect(sut({ name: { givenName: 'C', familyName: 'E' }, displayName: 'D' }).fullName).toBe('D');
    expect(sut({ name: { givenName: 'C', familyName: 'E' } }).fullName).toBe('C E');
  });

  it('after a PATCH, takes the name that changed: Entra’s name.givenName alone renames', () => {
    const before = {
      name: { formatted: 'Pat Lee', givenName: 'Pat', familyName: 'Lee' },
      displayName: 'Pat Lee',
    };
    const after = { ...before, name: { ...before.name, givenName: 'Patricia' } };
    expect(sut(after, before).fullName).toBe('Patricia Lee');
    expect(sut(before, before).fullName).toBeUndefined();
  });

  it('clears what a PATCH removed', () => {
    const before = sut({ [ENTERPRISE]: { department: 'Sales' }, title: 'Lead' });
    const after = sut({ title: 'Lead' });
    expect(withRemovals(after, before)).toMatchObject({ department: null, jobTitle: 'Lead' });
  });
});
