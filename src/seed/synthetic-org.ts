/**
 * A realistic synthetic organisation for demos and benchmarks: departments, countries,
 * a manager chain, start dates across three years, some contractors, leavers and new hires.
 * Deterministic for a given seed, so benchmark runs are comparable.
 */
export interface SyntheticPerson {
  id: string;
  email: string;
  full_name: string;
  employee_number: string;
  department: string;
  job_title: string;
  manager_email: string | null;
  employment_type: 'employee' | 'contractor';
  country: string;
  region: string | null;
  start_date: string;
  end_date: string | null;
  status: 'pre_start' | 'active' | 'on_leave' | 'terminated';
  roles: string[];
}

const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Support',
  'Marketing',
  'Finance',
  'People',
  'Legal',
  'Product',
  'Design',
  'Operations',
];
const COUNTRIES: [string, number, string[]][] = [
  ['US', 40, ['CA', 'NY', 'TX', 'WA', 'MA']],
  ['GB', 12, []],
  ['DE', 12, ['BE', 'BY', 'HH']],
  ['IN', 10, ['KA', 'MH']],
  ['FR', 6, []],
  ['CA', 6, ['ON', 'BC']],
  ['PL', 5, []],
  ['BR', 4, []],
  ['AU', 3, []],
  ['JP', 2, []],
];
const FIRST = [
  'Ada',
  'Bo',
  'Chen',
  'Dara',
  'Eli',
  'Femi',
  'Gita',
  'Hugo',
  'Ines',
  'Jon',
  'Kai',
  'Lena',
  'Mo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Vera',
  'Wei',
  'Xena',
  'Yusuf',
  'Zoë',
  'Łukasz',
  'Søren',
  'José',
  'Anaïs',
];
const LAST = [
  'Adams',
  'Becker',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Hansen',
  'Iyer',
  'Jansen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quispe',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Varga',
  'Wójcik',
  'Xu',
  'Yilmaz',
  'Zhang',
];

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function pickWeighted(random: () => number): [string, string[]] {
  const total = COUNTRIES.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [code, weight, regions] of COUNTRIES) {
    r -= weight;
    if (r < 0) return [code, regions];
  }
  return [COUNTRIES[0][0], COUNTRIES[0][2]];
}

function day(base: Date, offsetDays: number): string {
  return new Date(base.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function syntheticOrganisation(count: number, today: Date, seed = 42): SyntheticPerson[] {
  const random = prng(seed);
  const people: SyntheticPerson[] = [];
  for (let i = 0; i < count; i++) {
    const [country, regions] = pickWeighted(random);
    const department = DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)];
    const first = FIRST[Math.floor(random() * FIRST.length)];
    const last = LAST[Math.floor(random() * LAST.length)];
    // Start dates across three years, a few in the next month (new hires).
    const startOffset =
      random() < 0.03 ? Math.floor(random() * 30) + 1 : -Math.floor(random() * 3 * 365);
    const terminated = startOffset < -180 && random() < 0.06;
    const status: SyntheticPerson['status'] =
      startOffset > 0
        ? 'pre_start'
        : terminated
          ? 'terminated'
          : random() < 0.02
            ? 'on_leave'
            : 'active';
    // Managers are earlier people of the same department, so the chain always resolves.
    const manager = i > 20 ? people[Math.floor(random() * Math.min(i, 200))] : undefined;
    const roles = ['employee'];
    if (i % 500 === 1) roles.push('hr');
    if (i % 2000 === 2) roles.push('admin');
    people.push({
      id: uuidFrom(random),
      email: `${first}.${last}.${i}@synthetic.attest.test`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^\x20-\x7e]/g, ''),
      full_name: `${first} ${last}`,
      employee_number: `E${String(i + 1).padStart(7, '0')}`,
      department,
      job_title: `${department} ${random() < 0.2 ? 'Lead' : 'Specialist'}`,
      manager_email: manager?.email ?? null,
      employment_type: random() < 0.08 ? 'contractor' : 'employee',
      country,
      region: regions.length > 0 ? regions[Math.floor(random() * regions.length)] : null,
      start_date: day(today, startOffset),
      end_date: terminated ? day(today, -Math.floor(random() * 150)) : null,
      status,
      roles,
    });
  }
  return people;
}
