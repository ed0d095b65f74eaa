import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207124020_auth_method } from './Migration20261207124020_auth_method';
import { Migration20261207160000_attestation_pdf_external } from './Migration20261207160000_attestation_pdf_external';
import { Migration20261207114325_offboarding } from './Migration20261207114325_offboarding';
import { Migration20261207113733_scim } from './Migration20261207113733_scim';
import { Migration20261207113332_identity_lifecycle } from './Migration20261207113332_identity_lifecycle';
import { Migration20261207085526_multi_instance } from './Migration20261207085526_multi_instance';
import { Migration20261207084843_retention } from './Migration20261207084843_retention';
import { Migration20261207065922_notifications } from './Migration20261207065922_notifications';
import { Migration20261207025749_rollup_deltas } from './Migration20261207025749_rollup_deltas';
import { Migration20261207003718_hr_search_indexes } from './Migration20261207003718_hr_search_indexes';
import { Migration20261206215146_one_signature } from './Migration20261206215146_one_signature';
import { Migration20261206211659_identity_binding } from './Migration20261206211659_identity_binding';
import { Migration20261123133000_exports } from './Migration20261123133000_exports';
import { Migration20261123132000_attestations } from './Migration20261123132000_attestations';
import { Migration20261123131000_audit_samples } from './Migration20261123131000_audit_samples';
import { Migration20261123130000_audit_request_context } from './Migration20261123130000_audit_request_context';
import { Migration20261123115931_documents } from './Migration20261123115931_documents';
import { Migration20261123105618_summary_person_fields } from './Migration20261123105618_summary_person_fields';
import { Migration20261123104814_completion_date_index } from './Migration20261123104814_completion_date_index';
import { Migration20261123104245_onboarding_summary } from './Migration20261123104245_onboarding_summary';
import { Migration20261123103720_background_checks } from './Migration20261123103720_background_checks';
import { Migration20261123103627_overdue_index } from './Migration20261123103627_overdue_index';
import { Migration20261123101620_requirements } from './Migration20261123101620_requirements';
import { Migration20261123094327_sign_in } from './Migration20261123094327_sign_in';
import { Migration20261123091219_initial } from './Migration20261123091219_initial';

/** Every committed migration, in order. `npm run migration:create` appends to this list. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123091219_initial', class: Migration20261123091219_initial },
  { name: 'Migration20261123094327_sign_in', class: Migration20261123094327_sign_in },
  { name: 'Migration20261123101620_requirements', class: Migration20261123101620_requirements },
  { name: 'Migration20261123103627_overdue_index', class: Migration20261123103627_overdue_index },
  {
    name: 'Migration20261123103720_background_checks',
    class: Migration20261123103720_background_checks,
  },
  {
    name: 'Migration20261123104245_onboarding_summary',
    class: Migration20261123104245_onboarding_summary,
  },
  {
    name: 'Migration20261123104814_completion_date_index',
    class: Migration20261123104814_completion_date_index,
  },
  {
    name: 'Migration20261123105618_summary_person_fields',
    class: Migration20261123105618_summary_person_fields,
  },
  { name: 'Migration20261123115931_documents', class: Migration20261123115931_documents },
  {
    name: 'Migration20261123130000_audit_request_context',
    class: Migration20261123130000_audit_request_context,
  },
  {
    name: 'Migration20261123131000_audit_samples',
    class: Migration20261123131000_audit_samples,
  },
  { name: 'Migration20261123132000_attestations', class: Migration20261123132000_attestations },
  { name: 'Migration20261123133000_exports', class: Migration20261123133000_exports },
  {
    name: 'Migration20261206211659_identity_binding',
    class: Migration20261206211659_identity_binding,
  },
  { name: 'Migration20261206215146_one_signature', class: Migration20261206215146_one_signature },
  {
    name: 'Migration20261207003718_hr_search_indexes',
    class: Migration20261207003718_hr_search_indexes,
  },
  { name: 'Migration20261207025749_rollup_deltas', class: Migration20261207025749_rollup_deltas },
  { name: 'Migration20261207065922_notifications', class: Migration20261207065922_notifications },
  { name: 'Migration20261207084843_retention', class: Migration20261207084843_retention },
  { name: 'Migration20261207085526_multi_instance', class: Migration20261207085526_multi_instance },
  {
    name: 'Migration20261207113332_identity_lifecycle',
    class: Migration20261207113332_identity_lifecycle,
  },
  { name: 'Migration20261207113733_scim', class: Migration20261207113733_scim },
  { name: 'Migration20261207114325_offboarding', class: Migration20261207114325_offboarding },
  { name: 'Migration20261207124020_auth_method', class: Migration20261207124020_auth_method },
  {
    name: 'Migration20261207160000_attestation_pdf_external',
    class: Migration20261207160000_attestation_pdf_external,
  },
];
