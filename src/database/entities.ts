import { API_TOKEN_ENTITIES } from '../api-tokens/api-token.entities';
import { AttestationSchema } from '../attestations/attestation.entity';
import { AuditSampleSchema } from '../auditors/audit-sample.entity';
import { AuditChainHeadSchema } from '../audit/audit-chain-head.entity';
import { AuditEventSchema } from '../audit/audit-event.entity';
import { SamlAssertionUseSchema, SamlRequestSchema } from '../auth/saml/saml-request.entity';
import { RateLimitCounterSchema } from '../auth/rate-limits/rate-limit-counter.entity';
import { SessionSchema } from '../auth/sessions/session.entity';
import { BACKGROUND_CHECK_ENTITIES } from '../background-checks/background-check.entities';
import { TotpCredentialSchema } from '../auth/totp/totp-credential.entity';
import { TotpRecoveryCodeSchema } from '../auth/totp/totp-recovery-code.entity';
import { DOCUMENT_ENTITIES } from '../documents/document.entities';
import { ExportFileChunkSchema } from '../exports/export-file-chunk.entity';
import { ExportJobSchema } from '../exports/export-job.entity';
import { OFFBOARDING_ENTITIES } from '../offboarding/offboarding.entities';
import { NOTIFICATION_ENTITIES } from '../notifications/notification-step.entity';
import { ONBOARDING_ENTITIES } from '../onboarding/onboarding-rollup.entities';
import { PersonSchema } from '../people/person.entity';
import { REQUIREMENT_ENTITIES } from '../requirements/requirement.entities';
import { LegalHoldSchema } from '../retention/legal-hold.entity';
import { SCIM_ENTITIES } from '../scim/scim-group.entities';
import { SignatureSchema } from '../signatures/signature.entity';
import { TRAINING_ENTITIES } from '../training/training.entities';

/** Every entity schema the ORM knows. Listed explicitly: no folder scanning at start-up. */
export const ENTITIES = [
  AuditEventSchema,
  AuditChainHeadSchema,
  PersonSchema,
  SessionSchema,
  RateLimitCounterSchema,
  SamlRequestSchema,
  SamlAssertionUseSchema,
  TotpCredentialSchema,
  TotpRecoveryCodeSchema,
  ...REQUIREMENT_ENTITIES,
  ...ONBOARDING_ENTITIES,
  ...BACKGROUND_CHECK_ENTITIES,
  ...API_TOKEN_ENTITIES,
  ...DOCUMENT_ENTITIES,
  SignatureSchema,
  ...TRAINING_ENTITIES,
  AttestationSchema,
  AuditSampleSchema,
  ExportJobSchema,
  ExportFileChunkSchema,
  ...NOTIFICATION_ENTITIES,
  LegalHoldSchema,
  ...OFFBOARDING_ENTITIES,
  ...SCIM_ENTITIES,
];
