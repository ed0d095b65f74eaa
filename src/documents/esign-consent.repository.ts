import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DocumentVersion } from './document-version.entity';
import { EsignConsent } from './esign-consent.entity';

export interface NewConsent {
  readonly personId: string;
  readonly disclosure: DocumentVersion;
  readonly sessionId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** Consents to electronic records. Append-only: a consent is never changed or removed. */
@Injectable()
export class EsignConsentRepository {
  constructor(private readonly em: EntityManager) {}

  find(personId: string, disclosureId: string, em = this.em.fork()): Promise<EsignConsent | null> {
    return em.findOne(EsignConsent, { person: personId, disclosure: disclosureId });
  }

  /** Records the consent once; a second call returns the first record. */
  async appendOnce(
    consent: NewConsent,
    now: Date,
  ): Promise<{ row: EsignConsent; created: boolean }> {
    return this.em.fork().transactional(async (em) => {
      const inserted = await em.execute<{ id: string }[]>(
        `insert into esign_consent
           (id, person_id, disclosure_id, disclosure_version, disclosure_sha256, consented_at, session_id, ip, user_agent)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (person_id, disclosure_id) do nothing
         returning id`,
        [
          randomUUID(),
          consent.personId,
          consent.disclosure.id,
          consent.disclosure.version,
          consent.disclosure.sha256,
          now,
          consent.sessionId,
          consent.ip,
          consent.userAgent,
        ],
      );
      const row = await em.findOneOrFail(EsignConsent, {
        person: consent.personId,
        disclosure: consent.disclosure.id,
      });
      return { row, created: inserted.length === 1 };
    });
  }
}
