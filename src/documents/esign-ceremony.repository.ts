import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { prepared, runPrepared } from '../database/prepared-statement';
import { DocumentKind } from './document-version.entity';

/** What the ceremony checks about one person and one version, as the database has it now. */
export interface CeremonyFacts {
  /** The document's latest version: signing an older one is refused. */
  readonly current: { readonly id: string; readonly version: string } | null;
  /** Their consent to the disclosure in force, if they gave it. */
  readonly consent: {
    readonly id: string;
    readonly disclosureVersion: string;
    readonly disclosureSha256: string;
    readonly consentedAt: Date;
  } | null;
  /** When they first opened this version, if they did. */
  readonly viewedAt: Date | null;
}

interface FactsRow {
  current_id: string | null;
  current_version: string | null;
  consent_id: string | null;
  disclosure_version: string | null;
  disclosure_sha256: string | null;
  consented_at: Date | string | null;
  viewed_at: Date | string | null;
}

/** The document's id, the disclosure kind, the person's id twice and the version's id. */
const CEREMONY_FACTS = prepared(`select cur.id as current_id, cur.version as current_version,
        c.id as consent_id, c.disclosure_version, c.disclosure_sha256, c.consented_at,
        w.viewed_at
   from (select 1) as one
   left join lateral (select id, version from document_version where document_id = ?
                       order by version_key desc limit 1) cur on true
   left join lateral (select id from document_version where kind = ?
                       order by version_key desc, document_id asc limit 1) d on true
   left join esign_consent c on c.person_id = ? and c.disclosure_id = d.id
   left join lateral (select viewed_at from document_view
                       where person_id = ? and document_version_id = ?
                       order by viewed_at limit 1) w on true`);

/**
 * Reads the ceremony's preconditions in one statement: the current version, the consent to the
 * current disclosure and the first view. They run before every signature, where each round trip
 * to the database is time every signer waits.
 */
@Injectable()
export class EsignCeremonyRepository {
  constructor(private readonly em: EntityManager) {}

  async factsFor(
    personId: string,
    version: { id: string; documentId: string },
  ): Promise<CeremonyFacts> {
    const [row] = await runPrepared<FactsRow>(this.em.fork(), CEREMONY_FACTS, [
      version.documentId,
      DocumentKind.Disclosure,
      personId,
      personId,
      version.id,
    ]);
    return {
      current:
        row.current_id !== null ? { id: row.current_id, version: row.current_version! } : null,
      consent:
        row.consent_id !== null
          ? {
              id: row.consent_id,
              disclosureVersion: row.disclosure_version!,
              disclosureSha256: row.disclosure_sha256!,
              consentedAt: new Date(row.consented_at!),
            }
          : null,
      viewedAt: row.viewed_at !== null ? new Date(row.viewed_at) : null,
    };
  }
}
