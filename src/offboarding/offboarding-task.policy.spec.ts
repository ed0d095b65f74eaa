import { Permission } from '../access/permission';
import { Role } from '../access/role';
import { permissionsFor } from '../access/role-permissions';
import { TaskDoer } from '../requirements/requirement-rule';
import { taskCapacity } from './offboarding-task.policy';

const LEAVER = { id: 'leaver-id', managerEmail: 'mo.manager@corp.example' };

const actor = (roles: Role[], personId = 'actor-id', totpVerified = false) => ({
  personId,
  roles,
  permissions: permissionsFor(roles, totpVerified),
});

describe(taskCapacity.name, () => {
  it.each<[string, ReturnType<typeof actor>, string | null, TaskDoer[], TaskDoer | null]>([
    ['HR, for an HR task', actor([Role.Hr]), 'hana@corp.example', [TaskDoer.Hr], TaskDoer.Hr],
    [
      'HR, for a task either may do',
      actor([Role.Hr]),
      'hana@corp.example',
      [TaskDoer.Hr, TaskDoer.Manager],
      TaskDoer.Hr,
    ],
    [
      'HR, not for a manager-only task',
      actor([Role.Hr]),
      'hana@corp.example',
      [TaskDoer.Manager],
      null,
    ],
    [
      'the manager, by email whatever its case',
      actor([Role.Employee]),
      'Mo.Manager@corp.example',
      [TaskDoer.Manager],
      TaskDoer.Manager,
    ],
    [
      'the manager, not for an HR task',
      actor([Role.Employee]),
      LEAVER.managerEmail,
      [TaskDoer.Hr],
      null,
    ],
    [
      'another employee, never',
      actor([Role.Employee]),
      'eve@corp.example',
      [TaskDoer.Hr, TaskDoer.Manager],
      null,
    ],
    ['an auditor, never', actor([Role.Auditor]), 'aude@corp.example', [TaskDoer.Hr], null],
    [
      'an admin before step-up, never',
      actor([Role.Admin]),
      'ada@corp.example',
      [TaskDoer.Hr],
      null,
    ],
    [
      'an admin after step-up, as HR',
      actor([Role.Admin], 'admin-id', true),
      'ada@corp.example',
      [TaskDoer.Hr],
      TaskDoer.Hr,
    ],
    [
      'the leaver themselves, never, even as HR',
      actor([Role.Hr], LEAVER.id),
      'lee@corp.example',
      [TaskDoer.Hr],
      null,
    ],
  ])('%s', (_case, who, email, doneBy, expected) => {
    expect(taskCapacity(who, email, doneBy, LEAVER)).toBe(expected);
  });

  it('denies without the permission, whatever the role says', () => {
    const hr = { personId: 'x', roles: [Role.Hr], permissions: new Set([Permission.PersonWrite]) };
    expect(taskCapacity(hr, 'hana@corp.example', [TaskDoer.Hr], LEAVER)).toBeNull();
  });
});
