import { ScimError } from './scim.errors';
import { filterInstant, groupFilterSql, userFilterSql } from './scim-filter';

describe(userFilterSql.name, () => {
  const sut = userFilterSql;

  it('matches userName whatever its case, through the two indexed columns', () => {
    expect(sut('userName eq "Pat@Corp.example"')).toEqual({
      sql: '(lower(p.scim_user_name) = lower(?) or (p.scim_user_name is null and p.email = lower(?)))',
      params: ['Pat@Corp.example', 'Pat@Corp.example'],
    });
  });

  it('reads Entra’s emails[type eq "work"].value as the one work email', () => {
    expect(sut('emails[type eq "work"].value eq "a@corp.example"')).toEqual({
      sql: "('work' = lower(?) and p.email = lower(?))",
      params: ['work', 'a@corp.example'],
    });
  });

  it('combines and/or/not, and escapes LIKE wildcards in co/sw/ew', () => {
    const where = sut('externalId eq "x" or (displayName co "50%_off" and not (active eq true))');
    expect(where.sql).toBe(
      "(p.scim_external_id = ? or (lower(p.full_name) like lower(?) escape '\\' and not coalesce(((p.status <> 'terminated')) = ?, false)))",
    );
    expect(where.params).toEqual(['x', '%50\\%\\_off%', true]);
  });

  it('takes the enterprise employeeNumber by its schema URN', () => {
    expect(
      sut('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E-1"'),
    ).toEqual({ sql: 'p.employee_number = ?', params: ['E-1'] });
  });

  it.each([
    ['a filter that does not parse', 'userName eq'],
    ['an attribute it cannot filter on', 'nickName eq "x"'],
    ['a boolean compared with a string', 'active eq "yes"'],
    ['a date that is none', 'meta.lastModified gt "soon"'],
  ])('refuses %s with 400 invalidFilter', (_, filter) => {
    expect(() => sut(filter)).toThrow(
      expect.objectContaining({ scimType: 'invalidFilter' }) as ScimError,
    );
  });

  it('lets no filter through as every person', () => {
    expect(sut(undefined)).toEqual({ sql: 'true', params: [] });
  });
});

describe(groupFilterSql.name, () => {
  it('finds groups by member, and a member id that is no uuid finds none', () => {
    expect(groupFilterSql('members[value eq "00000000-0000-4000-8000-000000000001"]').sql).toMatch(
      /exists \(select 1 from scim_group_member/,
    );
    expect(groupFilterSql('members.value eq "x"')).toEqual({ sql: 'false', params: [] });
  });
});

describe(filterInstant.name, () => {
  it.each([
    ['2020-02-29T10:00:00Z', '2020-02-29T10:00:00.000Z'],
    ['2020-02-29T10:00:00.5+01:00', '2020-02-29T09:00:00.500Z'],
    ['2020-02-29T10:00:00', '2020-02-29T10:00:00.000Z'],
    ['2020-02-29', '2020-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (value, instant) => {
    expect(filterInstant(value)).toBe(instant);
  });

  it.each(['2020-02-30', '2019-02-29', '2020-13-01', '2020-01-01T24:00:00Z', 'Jan 1 2020', '2020'])(
    'refuses %s, which Date.parse may read but PostgreSQL refuses',
    (value) => {
      expect(filterInstant(value)).toBeUndefined();
    },
  );
});

describe('members filters', () => {
  it('members pr is an exists, and members ne the negation of eq', () => {
    expect(groupFilterSql('members pr').sql).toBe(
      'exists (select 1 from scim_group_member m where m.group_id = g.id)',
    );
    const ne = groupFilterSql('members ne "00000000-0000-4000-8000-000000000000"');
    expect(ne.sql).toBe(
      'not coalesce(exists (select 1 from scim_group_member m where m.group_id = g.id and m.person_id = ?), false)',
    );
    expect(ne.params).toEqual(['00000000-0000-4000-8000-000000000000']);
  });
});
