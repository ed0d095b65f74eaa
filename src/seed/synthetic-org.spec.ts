import { syntheticOrganisation } from './synthetic-org';

describe(syntheticOrganisation.name, () => {
  const today = new Date('2026-11-23T00:00:00Z');
  const people = syntheticOrganisation(3000, today, 7);

  it('is deterministic for a seed and differs across seeds', () => {
    expect(syntheticOrganisation(3000, today, 7)).toEqual(people);
    expect(syntheticOrganisation(3000, today, 8)[0]).not.toEqual(people[0]);
  });

  it('has unique ids, emails and employee numbers, and managers who exist', () => {
    for (const key of ['id', 'email', 'employee_number'] as const) {
      expect(new Set(people.map((p) => p[key])).size).toBe(people.length);
    }
    const emails = new Set(people.map((p) => p.email));
    expect(people.every((p) => p.manager_email === null || emails.has(p.manager_email))).toBe(true);
    expect(people.every((p) => /^[\x20-\x7e]+$/.test(p.email))).toBe(true);
  });

  it('spreads start dates over three years with new hires, leavers and contractors', () => {
    const starts = people.map((p) => p.start_date).sort();
    expect(starts[0] < '2024-01-01').toBe(true);
    expect(people.some((p) => p.status === 'pre_start' && p.start_date > '2026-11-23')).toBe(true);
    expect(people.some((p) => p.status === 'terminated' && p.end_date !== null)).toBe(true);
    expect(people.filter((p) => p.employment_type === 'contractor').length).toBeGreaterThan(100);
    expect(new Set(people.map((p) => p.country)).size).toBeGreaterThanOrEqual(8);
  });
});
