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
  const sut = new PersonEvidenceService(
    evidence as never,
    documents as never,
    requirements as never,
    audit as never,
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
});
