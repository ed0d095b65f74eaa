import type { SamlConfig } from '../config/app-config';
import { rolesFromGroups } from '../auth/saml/sso-identity';
import { type DemoPersona, demoPersonas } from '../auth/demo-idp/demo-personas';
import { EmploymentType } from '../people/person.entity';
import { type SyntheticPerson, syntheticOrganisation } from './synthetic-org';

const DAY_MS = 86_400_000;

/**
 * When the demo's colleagues started, in days from today: a few start soon (screening under
 * way), some joined in the last weeks (onboarding in progress, some of it late), most have been
 * here a while. Relative to today, so the picture is the same whenever the demo starts.
 */
const START_OFFSETS = [
  14, 9, 4, -1, -3, -6, -10, -16, -24, -33, -45, -75, -110, -150, -190, -240, -300, -350, -410,
  -480, -540, -620, -700, -780, -860, -950, -1040, -1130, -1220, -1320, -1450, -1600,
];
/** A leaver: their history stays, nothing new is asked of them. */
const LEAVER = 22;
/** Contractors among the colleagues (besides the contractor persona). */
const CONTRACTORS = new Set([5, 15, 27]);
const SEED = 20_261_206;

export interface DemoOrganisation {
  /** Everyone whose history the seed fills in: the colleagues and the experienced personas. */
  readonly people: readonly SyntheticPerson[];
  /** Personas who have done nothing yet (the new hire), added once the history is written. */
  readonly newcomers: readonly SyntheticPerson[];
}

const day = (today: Date, offset: number) =>
  new Date(today.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

function colleagues(today: Date): SyntheticPerson[] {
  return syntheticOrganisation(START_OFFSETS.length, today, SEED).map((person, i) => {
    const offset = START_OFFSETS[i];
    const leaver = i === LEAVER;
    return {
      ...person,
      email: person.email.replace('@synthetic.attest.test', '@demo.attest.test'),
      employee_number: `D${String(i + 1).padStart(5, '0')}`,
      employment_type: CONTRACTORS.has(i) ? 'contractor' : 'employee',
      start_date: day(today, offset),
      end_date: leaver ? day(today, -30) : null,
      status: offset > 0 ? 'pre_start' : leaver ? 'terminated' : 'active',
      // Roles come from the IdP's groups at sign-in; the personas hold the demo's roles.
      roles: ['employee'],
    };
  });
}

/** A persona as HR would have recorded them before their first sign-in. */
export function personaRecord(
  persona: DemoPersona,
  id: string,
  today: Date,
  roleMap: SamlConfig['roleMap'],
): SyntheticPerson {
  return {
    id,
    email: persona.email,
    full_name: persona.displayName,
    employee_number: persona.employeeNumber,
    department: persona.department,
    job_title: persona.label,
    manager_email: persona.managerEmail,
    employment_type:
      persona.employmentType === EmploymentType.Contractor ? 'contractor' : 'employee',
    country: persona.country,
    region: null,
    start_date: persona.startDate,
    end_date: null,
    status: persona.startDate > day(today, 0) ? 'pre_start' : 'active',
    roles: rolesFromGroups(persona.groups, roleMap),
  };
}

/**
 * The small organisation a development start shows on an empty database: about 40 people with
 * a realistic mix of done, in progress and overdue, the demo personas among them.
 */
export function demoOrganisation(
  today: Date,
  roleMap: SamlConfig['roleMap'],
  newId: () => string,
): DemoOrganisation {
  const personas = demoPersonas(today).map((p) => ({
    persona: p,
    record: personaRecord(p, newId(), today, roleMap),
  }));
  return {
    people: [
      ...colleagues(today),
      ...personas.filter((p) => p.persona.progress === 'most').map((p) => p.record),
    ],
    newcomers: personas.filter((p) => p.persona.progress === 'nothing').map((p) => p.record),
  };
}
