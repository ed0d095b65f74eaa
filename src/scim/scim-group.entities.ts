import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export const ScimGroupSchema = defineEntity({
  name: 'ScimGroup',
  tableName: 'scim_group',
  properties: {
    id: p.uuid().primary(),
    /** RFC 7643 §4.2: the group's name; ROLE_MAP may map it to roles (the id is safer). */
    displayName: p.string().length(255).unique(),
    /**
     * The IdP's own id for the group (RFC 7643 §3.1): Entra ID's object id, which its groups
     * claim carries too. ROLE_MAP may map it to roles; unlike the name, it survives a rename.
     */
    externalId: p.string().length(255).nullable().unique(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** A group the IdP pushes by SCIM; its members get the roles ROLE_MAP gives its name or id. */
export class ScimGroup extends ScimGroupSchema.class {}
ScimGroupSchema.setClass(ScimGroup);

export const ScimGroupMemberSchema = defineEntity({
  name: 'ScimGroupMember',
  tableName: 'scim_group_member',
  properties: {
    group: () => p.manyToOne(ScimGroupSchema).primary().deleteRule('cascade'),
    // Leavers are never deleted (signed records stay), so a member row never outlives its person.
    person: () => p.manyToOne(PersonSchema).primary().index(),
  },
});

/** One person in one SCIM group. */
export class ScimGroupMember extends ScimGroupMemberSchema.class {}
ScimGroupMemberSchema.setClass(ScimGroupMember);

export const SCIM_ENTITIES = [ScimGroupSchema, ScimGroupMemberSchema];
