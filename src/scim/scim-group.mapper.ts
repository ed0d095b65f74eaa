import type { ScimPatchOperation } from 'scim-patch';
import { invalidValue } from './scim.errors';
import type { GroupWithMembers } from './scim.repository';
import { isUuid } from './scim-paging';
import { CORE_GROUP } from './scim-schemas';
import { get, type ScimResource } from './scim-user.mapper';

/** The group as a SCIM Group (RFC 7643 §4.2). */
export function toScimGroup({ group, members }: GroupWithMembers): ScimResource {
  return {
    schemas: [CORE_GROUP],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    members: members.map((m) => ({
      value: m.id,
      display: m.fullName,
      $ref: `/scim/v2/Users/${m.id}`,
    })),
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `/scim/v2/Groups/${group.id}`,
    },
  };
}

export interface GroupInput {
  displayName?: string;
  externalId?: string | null;
  /** Person ids; undefined leaves the members as they are. */
  members?: string[];
}

/** Reads a Group resource; attributes Attest does not keep are ignored. */
export function fromScimGroup(resource: ScimResource): GroupInput {
  const displayName = get(resource, 'displayName');
  if (displayName !== undefined && (typeof displayName !== 'string' || !displayName.trim())) {
    throw invalidValue('"displayName" is a non-empty string.');
  }
  if (typeof displayName === 'string' && displayName.trim().length > 255) {
    throw invalidValue('"displayName" is at most 255 characters.');
  }
  const externalId = get(resource, 'externalId');
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') {
    throw invalidValue('"externalId" is a string.');
  }
  if (typeof externalId === 'string' && externalId.length > 255) {
    throw invalidValue('"externalId" is at most 255 characters.');
  }
  const members = get(resource, 'members');
  if (members !== undefined && members !== null && !Array.isArray(members)) {
    throw invalidValue('"members" is a list of { "value": "<User id>" }.');
  }
  return {
    displayName: typeof displayName === 'string' ? displayName.trim() : undefined,
    externalId: externalId === undefined ? undefined : ((externalId as string | null) ?? null),
    members:
      members === undefined
        ? undefined
        : [
            ...new Set(
              ((members as unknown[] | null) ?? []).map((m) => {
                const value = get(m, 'value');
                if (typeof value !== 'string') {
                  throw invalidValue('Each member is { "value": "<User id>" }.');
                }
                return value;
              }),
            ),
          ],
  };
}

/**
 * Entra ID removes members as `{"op":"Remove","path":"members","value":[{"value":"id"}]}`:
 * RFC 7644 §3.5.2.2 has no value on a remove, so each becomes `members[value eq "id"]`.
 */
export function removalsByValue(operation: ScimPatchOperation): ScimPatchOperation[] {
  const value = (operation as { value?: unknown }).value;
  if (
    operation.op !== 'remove' ||
    operation.path?.toLowerCase() !== 'members' ||
    !Array.isArray(value)
  ) {
    return [operation];
  }
  return value.map((member) => {
    const id = get(member, 'value');
    if (typeof id !== 'string' || !isUuid(id)) {
      throw invalidValue('Each member to remove is { "value": "<User id>" }.');
    }
    return { op: 'remove', path: `members[value eq "${id}"]` };
  });
}
