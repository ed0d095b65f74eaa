import type { Principal } from '../access/principal';
import { Permission } from '../access/permission';
import { Role } from '../access/role';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { TaskDoer } from '../requirements/requirement-rule';

/** The leaver, as far as the policy needs to know them. */
export interface LeaverFacts {
  readonly id: string;
  readonly managerEmail: string | null;
}

/**
 * In which capacity `actor` may mark a task done for this leaver, or null: deny by default.
 * HR (or an administrator after step-up) for `done_by: hr`; the leaver's manager, the person
 * whose email is the leaver's manager email, for `done_by: manager`. Nobody marks their own
 * offboarding tasks (ISO/IEC 27001:2022 A.5.3, segregation of duties).
 */
export function taskCapacity(
  actor: Pick<Principal, 'personId' | 'roles' | 'permissions'>,
  actorEmail: string | null,
  doneBy: readonly TaskDoer[],
  leaver: LeaverFacts,
): TaskDoer | null {
  if (!actor.permissions.has(Permission.OffboardingTaskComplete)) return null;
  if (!mayDecideAbout(actor, leaver.id)) return null;
  const hr =
    actor.permissions.has(Permission.PersonWrite) &&
    (actor.roles.includes(Role.Hr) || actor.roles.includes(Role.Admin));
  if (doneBy.includes(TaskDoer.Hr) && hr) return TaskDoer.Hr;
  const manager =
    actorEmail !== null &&
    leaver.managerEmail !== null &&
    actorEmail.toLowerCase() === leaver.managerEmail.toLowerCase();
  if (doneBy.includes(TaskDoer.Manager) && manager) return TaskDoer.Manager;
  return null;
}
