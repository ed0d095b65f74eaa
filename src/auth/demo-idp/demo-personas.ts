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

/** The personas as of `today`: the new hire always starts a week later, so onboarding is due. */
export function demoPersonas(today: Date = new Date()): readonly DemoPersona[] {
  return Object.freeze([
    {
      id: 'new-hire',
      label: 'New hire (United States)',
      description: 'Starts next week; has onboarding agreements and training to complete.',
      email: at('jordan.rivera'),
      displayName: 'Jordan Rivera',
      groups: ['all-staff'],
      department: 'Engineering',
      country: 'US',
      managerEmail: at('maria.garcia'),
      startDate: dayOffset(today, 7),
      employeeNumber: 'E10042',
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
      startDate: '2019-03-04',
      employeeNumber: 'E10003',
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
      startDate: '2021-09-13',
      employeeNumber: 'E10017',
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
      startDate: '2018-06-11',
      employeeNumber: 'E10001',
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
      startDate: '2020-01-06',
      employeeNumber: 'E10008',
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
      startDate: '2022-04-01',
      employeeNumber: 'E10021',
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
      startDate: '2023-02-20',
      employeeNumber: 'E10029',
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
      startDate: '2024-07-15',
      employeeNumber: 'E10035',
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
      startDate: '2025-10-01',
      employeeNumber: 'C20004',
      mfa: false,
    },
  ] satisfies DemoPersona[]);
}

/** As of start-up. The service asks {@link demoPersonas} with its clock, so dates stay current. */
export const DEMO_PERSONAS: readonly DemoPersona[] = demoPersonas();
