import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { Role } from '../access/role';
import { PersonEvidenceService } from './person-evidence.service';

function setup() {
  const evidence = {
    person: jest.fn().mockResolvedValue({
      id: 'p-1',
      fullName: 'Ada Lovelace',
      email: 'ada@corp.example',
      employeeNumber: 'E1',
      department: 'Engineering',
      employmentType: 'employee',
      status: 'active',
      startDate: '2026-01-05',
      endDate: null,
    }),
    attestations: jest.fn().mockResolvedValue([]),
    checks: jest.fn().mockResolvedValue([]),
  };
  const documents = { currentTitles: jest.fn().mockResolvedValue(new Map()) };
  const requirements = { standingsFor: jest.fn().mockResolvedValue([]) };
  const audit = { record: jest.fn().mockResolvedValue(undefined) };
  const followUps = {
    followUpOf: jest.fn().mockResolvedValue({
      lastReminded: null,
      lastEscalated: null,
      messages: [
        {
          kind: 'manager_escalation',
          status: 'sent',
          statusReason: '250 OK',
          recipientEmail: 'mo@corp.example',
          recipientName: 'Mo Manager',
          recipientPersonId: 'p-9',
          itemCount: 2,
          createdAt: new Date('2026-12-01T09:00:00Z'),
          sentAt: new Date('2026-12-01T09:00:05Z'),
        },
        {
          kind: 'tasks',
          status: 'failed',
          statusReason: 'refused by the mail server: 550 mailbox unavailable',
          recipientEmail: 'ada@corp.example',
          recipientName: 'Ada Lovelace',
          recipientPersonId: 'p-1',
          itemCount: 3,
          createdAt: new Date('2026-11-28T09:00:00Z'),
          sentAt: null,
        },
      ],
    }),
  };
  const sut = new PersonEvidenceService(
    evidence as never,
    documents as never,
    requirements as never,
    audit as never,
    followUps as never,
  );
  return { sut, evidence };
}

const viewer = (permissions: Permission[]): Principal => ({
  personId: 'viewer',
  sessionId: 's',
  roles: [Role.Auditor],
  permissions: new Set(permissions),
  totpVerified: false,
  csrfToken: 't',
});

describe(PersonEvidenceService.name, () => {
  it('reads sealed attestations and check states only where their own permissions open them', async () => {
    const { sut, evidence } = setup();

    const view = await sut.show(viewer([Permission.RequirementRead]), 'p-1');

    expect(evidence.attestations).not.toHaveBeenCalled();
    expect(evidence.checks).not.toHaveBeenCalled();
    expect(view.withheld).toEqual({ attestations: true, checks: true });
  });

  it('shows both to an auditor holding the permissions', async () => {
    const { sut, evidence } = setup();

    const view = await sut.show(
      viewer([
        Permission.RequirementRead,
        Permission.SignatureRead,
        Permission.BackgroundCheckStatusRead,
      ]),
      'p-1',
    );

    expect(evidence.attestations).toHaveBeenCalledWith('p-1');
    expect(evidence.checks).toHaveBeenCalledWith('p-1');
    expect(view.withheld).toEqual({ attestations: false, checks: false });
  });

  it('lists the reminders and escalations about the person, to whom and with what outcome', async () => {
    const { sut } = setup();
    const view = await sut.show(viewer([Permission.PersonRead]), 'p-1');
    expect(view.followUp).toEqual([
      {
        kind: 'Escalation to manager',
        to: 'Mo Manager (manager)',
        status: 'Sent',
        reason: null,
        when: { iso: '2026-12-01T09:00:05.000Z', text: '1 Dec 2026, 09:00 UTC' },
        tasks: 2,
      },
      {
        kind: 'Tasks and reminders',
        to: 'The person',
        status: 'Failed',
        reason: 'refused by the mail server: 550 mailbox unavailable',
        when: { iso: '2026-11-28T09:00:00.000Z', text: '28 Nov 2026, 09:00 UTC' },
        tasks: 3,
      },
    ]);
  });
});
