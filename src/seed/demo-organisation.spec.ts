import { Role } from '../access/role';
import { randomUUID } from 'node:crypto';
import { demoPersonas } from '../auth/demo-idp/demo-personas';
import { demoOrganisation } from './demo-organisation';

const ROLE_MAP: ReadonlyMap<string, readonly Role[]> = new Map([
  ['attest-admins', [Role.Admin]],
  ['attest-hr', [Role.Hr]],
  ['attest-auditors', [Role.Auditor]],
]);

describe(demoOrganisation.name, () => {
  const today = new Date('2026-12-07T09:30:00Z');
  const sut = demoOrganisation(today, ROLE_MAP, randomUUID);
  const everyone = [...sut.people, ...sut.newcomers];
  const byEmail = (id: string) =>
    everyone.find((p) => p.email === demoPersonas(today).find((d) => d.id === id)!.email)!;

  it('has about 40 people, every persona among them, each email and number once', () => {
    expect(everyone.length).toBeGreaterThanOrEqual(35);
    expect(everyone.length).toBeLessThanOrEqual(50);
    for (const persona of demoPersonas(today)) expect(byEmail(persona.id)).toBeDefined();
    for (const key of ['id', 'email', 'employee_number'] as const) {
      expect(new Set(everyone.map((p) => p[key])).size).toBe(everyone.length);
    }
  });

  it('records the contractor persona as a contractor', () => {
    expect(byEmail('contractor').employment_type).toBe('contractor');
    expect(byEmail('engineer-de').employment_type).toBe('employee');
  });

  it('has the new hire start today, added after the history (nothing done)', () => {
    expect(sut.newcomers.map((p) => p.email)).toEqual([byEmail('new-hire').email]);
    expect(byEmail('new-hire')).toMatchObject({ start_date: '2026-12-07', status: 'active' });
  });

  it('gives the personas the roles their IdP groups grant', () => {
    expect(byEmail('admin').roles).toEqual(['admin', 'employee']);
    expect(byEmail('hr-manager').roles).toEqual(['employee', 'hr']);
    expect(byEmail('contractor').roles).toEqual(['employee']);
  });

  it('dates everything relative to today, with people starting soon and a leaver', () => {
    const later = demoOrganisation(new Date('2027-03-01T09:30:00Z'), ROLE_MAP, randomUUID);
    const shift = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    sut.people.forEach((p, i) => expect(shift(p.start_date, later.people[i].start_date)).toBe(84));
    expect(everyone.filter((p) => p.status === 'pre_start').length).toBeGreaterThan(0);
    expect(everyone.filter((p) => p.status === 'terminated').length).toBe(1);
    expect(everyone.filter((p) => p.start_date > '2026-11-07').length).toBeGreaterThan(3);
  });
});
