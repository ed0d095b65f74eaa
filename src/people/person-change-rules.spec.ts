import { Role } from '../access/role';
import { changesIdentity, refusedChanges } from './person-change-rules';
import { Person } from './person.entity';

function person(values: Partial<Person> = {}): Person {
  return Object.assign(new Person(), {
    id: 'p-1',
    email: 'pat@corp.example',
    employeeNumber: 'E-1',
    samlIssuer: null,
    samlNameId: null,
    scimUserName: null,
    fieldSources: {},
    roles: [Role.Employee],
    ...values,
  });
}

const hr = { personId: 'hr-1', roles: [Role.Employee, Role.Hr] };
const admin = { personId: 'admin-1', roles: [Role.Employee, Role.Admin] };

describe(refusedChanges.name, () => {
  const sut = refusedChanges;

  it('lets HR change anything of an unbound employee', () => {
    expect(sut(hr, person(), ['email', 'status', 'country'])).toEqual([]);
  });

  it('refuses a bound email to everyone, the command line included', () => {
    const bound = person({ samlIssuer: 'https://idp.example', samlNameId: 'pid-1' });
    for (const actor of [hr, admin, 'cli' as const]) {
      expect(sut(actor, bound, ['email', 'job_title'])).toEqual([
        {
          reason: 'bound_identity',
          fields: ['email'],
          errors: [{ column: 'email', message: expect.stringContaining('identity provider') }],
        },
      ]);
    }
    // Bound before the issuer was kept: the NameID alone binds.
    expect(sut(hr, person({ samlNameId: 'pid-1' }), ['email'])).toHaveLength(1);
  });

  it('binds a person the IdP provisions by SCIM: their email, and an employee number SCIM set', () => {
    const at = '2026-12-07T10:00:00.000Z';
    const provisioned = person({
      scimUserName: 'pat@corp.example',
      fieldSources: { employee_number: { source: 'scim', at } },
    });
    for (const actor of [hr, admin, 'cli' as const]) {
      expect(sut(actor, provisioned, ['email', 'employee_number', 'job_title'])).toEqual([
        {
          reason: 'bound_identity',
          fields: ['email', 'employee_number'],
          errors: [
            { column: 'email', message: expect.stringContaining('provisions them (SCIM)') },
            { column: 'employee_number', message: expect.stringContaining('identity provider') },
          ],
        },
      ]);
    }
    // A number HR recorded before the IdP provisioned the person stays HR's to correct.
    const hrNumber = person({
      scimUserName: 'pat@corp.example',
      fieldSources: { employee_number: { source: 'csv', at } },
    });
    expect(sut(hr, hrNumber, ['employee_number'])).toEqual([]);
    // Without SCIM, a number is never bound, whatever set it.
    expect(
      sut(hr, person({ fieldSources: { employee_number: { source: 'scim', at } } }), [
        'employee_number',
      ]),
    ).toEqual([]);
  });

  it('refuses a person their own requirement fields, but not their job title', () => {
    const self = person({ id: hr.personId });
    expect(sut(hr, self, ['job_title'])).toEqual([]);
    expect(sut(hr, self, ['job_title', 'employment_type', 'start_date'])).toEqual([
      expect.objectContaining({ reason: 'own_record', fields: ['employment_type', 'start_date'] }),
    ]);
    expect(sut(admin, person({ id: admin.personId, roles: [Role.Admin] }), ['status'])).toEqual([
      expect.objectContaining({ reason: 'own_record', fields: ['status'] }),
    ]);
  });

  it('leaves an admin’s record to admins (and the command line)', () => {
    const target = person({ roles: [Role.Employee, Role.Admin] });
    expect(sut(hr, target, ['job_title', 'status'])).toEqual([
      expect.objectContaining({ reason: 'admin_record', fields: ['job_title', 'status'] }),
    ]);
    expect(sut(admin, target, ['job_title', 'status'])).toEqual([]);
    expect(sut('cli', target, ['job_title', 'status'])).toEqual([]);
  });
});

describe(changesIdentity.name, () => {
  it('counts an email change and a changed employee number, not a first one', () => {
    expect(changesIdentity(person(), ['email'])).toBe(true);
    expect(changesIdentity(person(), ['employee_number'])).toBe(true);
    expect(changesIdentity(person({ employeeNumber: null }), ['employee_number'])).toBe(false);
    expect(changesIdentity(person(), ['department', 'status'])).toBe(false);
  });
});
