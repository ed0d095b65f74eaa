import { defineEntity, p } from '@mikro-orm/core';
import type { Role } from '../access/role';

export enum EmploymentType {
  Employee = 'employee',
  Contractor = 'contractor',
}

export enum PersonStatus {
  PreStart = 'pre_start',
  Active = 'active',
  OnLeave = 'on_leave',
  Terminated = 'terminated',
}

export const PersonSchema = defineEntity({
  name: 'Person',
  tableName: 'person',
  uniques: [
    // Two records never share one IdP identity, whatever a repository or a hand edit tries.
    {
      name: 'person_saml_identity_unique',
      expression:
        'create unique index "person_saml_identity_unique" on "person" ("saml_issuer", "saml_name_id") where "saml_issuer" is not null and "saml_name_id" is not null',
    },
  ],
  indexes: [
    // RFC 7643 §4.1.1: userName is caseExact false, so SCIM matches and keeps it unique whatever
    // the case (src/scim/).
    {
      name: 'person_scim_user_name_lower_unique',
      expression:
        'create unique index "person_scim_user_name_lower_unique" on "person" (lower("scim_user_name")) where "scim_user_name" is not null',
    },
    // The people list pages by name; the department filter matches whatever the case.
    { name: 'person_full_name_id_index', properties: ['fullName', 'id'] },
    {
      name: 'person_department_lower_index',
      expression: 'create index "person_department_lower_index" on "person" (lower("department"))',
    },
    // People search (person-search.ts): words found anywhere in the name, email or employee
    // number, by trigrams (pg_trgm) on exactly the expression the query matches.
    {
      name: 'person_search_trgm',
      expression: `create index "person_search_trgm" on "person" using gin ((lower("full_name" || ' ' || "email" || ' ' || coalesce("employee_number", ''))) gin_trgm_ops)`,
    },
  ],
  properties: {
    id: p.uuid().primary(),
    /** Lower-cased; the identity that SSO and imports match on. */
    email: p.string().length(320).unique(),
    fullName: p.string().length(200),
    /** The HR system's key; imports match on it first, then on email. */
    employeeNumber: p.string().length(64).nullable().unique(),
    /**
     * The IdP identity this person is bound to since their first sign-in, whichever protocol:
     * the issuer (a SAML IdP's entity ID, or an OpenID Provider's `iss`) and the subject it
     * names them by (the SAML NameID, or the OIDC `sub`). The column names predate OIDC. Set,
     * the person's email belongs to the IdP: HR edits and imports cannot change it, and a
     * sign-in with another identity for the same email is refused. The NameID stays null after
     * a transient NameID, which names nobody.
     */
    samlIssuer: p.string().length(512).nullable(),
    samlNameId: p.string().length(512).nullable(),
    /**
     * The SCIM identity (RFC 7643 §3.1, §4.1.1) the IdP provisioned this person under: its
     * `userName` and its own `externalId`. Set, the person is bound to the IdP's directory:
     * a CSV import or HR edit cannot move their email or these keys.
     */
    scimUserName: p.string().length(320).nullable().unique(),
    scimExternalId: p.string().length(255).nullable().unique(),
    /** When the IdP last said by SCIM that this person is no longer active (deprovisioning). */
    deprovisionedAt: p.datetime().nullable(),
    /** When leaving ended this person's access: every session and API token they held. */
    accessEndedAt: p.datetime().nullable(),
    /**
     * Where each HR field's value came from last, by column name of the people CSV:
     * `{ "department": { "source": "scim", "at": "2026-12-07T10:00:00.000Z" } }`. Sources:
     * `csv`, `edit`, `scim`, `sso`.
     */
    fieldSources: p.json<Record<string, { source: string; at: string }>>().default('{}'),
    department: p.string().length(200).nullable().index(),
    jobTitle: p.string().length(200).nullable(),
    managerEmail: p.string().length(320).nullable(),
    employmentType: p.enum(() => EmploymentType).default(EmploymentType.Employee),
    /** ISO 3166-1 alpha-2. */
    country: p.string().length(2).nullable().index(),
    /** State, province or region, where the law differs within a country. */
    region: p.string().length(100).nullable(),
    startDate: p.date().nullable().index(),
    endDate: p.date().nullable(),
    status: p
      .enum(() => PersonStatus)
      .default(PersonStatus.Active)
      .index(),
    roles: p.array<Role>().$type<Role[]>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/** Someone who works for the organisation. Created at first sign-in or by an HR import. */
export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);
