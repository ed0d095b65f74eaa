import { defineEntity, p } from '@mikro-orm/core';
import type { Role } from '../access/role';

export const PersonSchema = defineEntity({
  name: 'Person',
  tableName: 'person',
  properties: {
    id: p.uuid().primary(),
    /** Lower-cased; the identity that SSO and imports match on. */
    email: p.string().length(320).unique(),
    displayName: p.string().length(200),
    /** NameID the IdP last sent for this person, for single logout. */
    samlNameId: p.string().length(512).nullable(),
    department: p.string().length(200).nullable(),
    country: p.string().length(2).nullable(),
    managerEmail: p.string().length(320).nullable(),
    startDate: p.date().nullable(),
    roles: p.array<Role>().$type<Role[]>(),
    status: p.string().length(20).default('active'),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** Someone who works for the organisation. Created at first sign-in or by an HR import. */
export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);
