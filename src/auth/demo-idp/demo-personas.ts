import { EmploymentType } from '../../people/person.entity';

/** A made-up person the demo IdP can sign in as. All addresses are under a reserved TLD. */
export interface DemoPersona {
  readonly id: DemoPersonaId;
  readonly label: string;
  readonly description: string;
  readonly email: string;
  readonly displayName: string;
  readonly groups: readonly string[];
  readonly department: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly managerEmail: string;
  /** YYYY-MM-DD. */
  readonly startDate: string;
  readonly employeeNumber: string;
  /**
   * How HR employs them. A SAML sign-in does not carry this, so the demo organisation records it
   * (the rules for contractors differ from those for employees).
   */
  readonly employmentType: EmploymentType;
  /** What the demo organisation has done of their requirements: nothing, or most of it. */
  readonly progress: 'nothing' | 'most';
  /** Whether the demo IdP reports a multi-factor sign-in. */
  readonly mfa: boolean;
}

export const DEMO_PERSONA_IDS = [
  'new-hire',
  'hr-manager',
  'auditor',
  'admin',
  'engineer-us',
  'engineer-de',
  'finance-gb',
  'support-in',
  'contractor',
] as const;

export type DemoPersonaId = (typeof DEMO_PERSONA_IDS)[number];

const DOMAIN = 'demo.attest.test';
const DAY_MS = 24 * 3_600_000;

const at = (local: string) => `${local}@${DOMAIN}`;
const dayOffset = (today: Date, days: number) =>
  new Date(today.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The personas as of `today`: the new hire starts today with everything still to do; the others
 * started earlier and have done most of theirs.
 */
export function demoPersonas(today: Date = new Date()): readonly DemoPersona[] {
  return Object.freeze([
    {
      id: 'new-hire',
      label: 'New hire (United States)',
      description: 'Starts today; has onboarding agreements and training to complete.',
      email: at('jordan.rivera'),
      displayName: 'Jordan Rivera',
      groups: ['all-staff'],
      department: 'Engineering',
      country: 'US',
      managerEmail: at('maria.garcia'),
      startDate: dayOffset(today, 0),
      employeeNumber: 'E10042',
      employmentType: EmploymentType.Employee,
      progress: 'nothing',
      mfa: false,
    },
    {
      id: 'hr-manager',
      label: 'HR manager',
      description: 'Member of attest-hr: manages people and background checks.',
      email: at('hannah.okafor'),
      displayName: 'Hannah Okafor',
      groups: ['all-staff', 'attest-hr'],
      department: 'People',
      country: 'US',
      managerEmail: at('ceo'),
      startDate: dayOffset(today, -2465),
      employeeNumber: 'E10003',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: true,
    },
    {
      id: 'auditor',
      label: 'Auditor',
      description: 'Member of attest-auditors: reviews evidence and exports samples.',
      email: at('oliver.bennett'),
      displayName: 'Oliver Bennett',
      groups: ['all-staff', 'attest-auditors'],
      department: 'Internal Audit',
      country: 'GB',
      managerEmail: at('ceo'),
      startDate: dayOffset(today, -1545),
      employeeNumber: 'E10017',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: true,
    },
    {
      id: 'admin',
      label: 'Administrator',
      description: 'Member of attest-admins: configures Attest.',
      email: at('sam.lindqvist'),
      displayName: 'Sam Lindqvist',
      groups: ['all-staff', 'attest-admins'],
      department: 'IT',
      country: 'US',
      managerEmail: at('ceo'),
      startDate: dayOffset(today, -3100),
      employeeNumber: 'E10001',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: true,
    },
    {
      id: 'engineer-us',
      label: 'Engineering manager (United States)',
      description: 'Employee; manages the new hire.',
      email: at('maria.garcia'),
      displayName: 'María García',
      groups: ['all-staff'],
      department: 'Engineering',
      country: 'US',
      managerEmail: at('sam.lindqvist'),
      startDate: dayOffset(today, -2160),
      employeeNumber: 'E10008',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: true,
    },
    {
      id: 'engineer-de',
      label: 'Engineer (Germany)',
      description: 'Employee in Berlin.',
      email: at('lukas.mueller'),
      displayName: 'Lukas Müller',
      groups: ['all-staff'],
      department: 'Engineering',
      country: 'DE',
      managerEmail: at('maria.garcia'),
      startDate: dayOffset(today, -1710),
      employeeNumber: 'E10021',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: false,
    },
    {
      id: 'finance-gb',
      label: 'Finance analyst (United Kingdom)',
      description: 'Employee in London.',
      email: at('aisha.khan'),
      displayName: 'Aisha Khan',
      groups: ['all-staff'],
      department: 'Finance',
      country: 'GB',
      managerEmail: at('ceo'),
      startDate: dayOffset(today, -1385),
      employeeNumber: 'E10029',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: true,
    },
    {
      id: 'support-in',
      label: 'Support engineer (India)',
      description: 'Employee in Bengaluru.',
      email: at('arjun.mehta'),
      displayName: 'Arjun Mehta',
      groups: ['all-staff'],
      department: 'Customer Support',
      country: 'IN',
      managerEmail: at('aisha.khan'),
      startDate: dayOffset(today, -870),
      employeeNumber: 'E10035',
      employmentType: EmploymentType.Employee,
      progress: 'most',
      mfa: false,
    },
    {
      id: 'contractor',
      label: 'Contractor',
      description: 'External contractor: not in all-staff.',
      email: at('chris.novak'),
      displayName: 'Chris Novak',
      groups: ['contractors'],
      department: 'Engineering',
      country: 'PL',
      managerEmail: at('maria.garcia'),
      startDate: dayOffset(today, -430),
      employeeNumber: 'C20004',
      employmentType: EmploymentType.Contractor,
      progress: 'most',
      mfa: false,
    },
  ] satisfies DemoPersona[]);
}

/** As of start-up. The service asks {@link demoPersonas} with its clock, so dates stay current. */
export const DEMO_PERSONAS: readonly DemoPersona[] = demoPersonas();
