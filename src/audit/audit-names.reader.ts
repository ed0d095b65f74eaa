import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { label } from '../common/labels';

/** Who or what an id in the audit log is, in words: a person's name, "Attest (system)", … */
export type AuditNames = ReadonlyMap<string, string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Actors that are not people: Attest itself, the sign-in, the public, API tokens. */
export function nonPersonActor(actorId: string): string | undefined {
  if (actorId === 'system') return 'Attest (system)';
  if (actorId === 'sso') return 'Sign-in (SSO)';
  if (actorId === 'public') return 'Anyone (public page)';
  const token = /^(auditor|integration):(.+)$/.exec(actorId);
  if (token) return `API token “${token[2]}” (${label(token[1]).toLowerCase()})`;
  return undefined;
}

const key = (type: string | null, id: string) => `${type ?? ''}:${id}`;

/**
 * Names for the actors and subjects of a page of audit events, in a few queries. The log itself
 * holds ids only (names change, and a log must not); the page names them as they are now.
 */
@Injectable()
export class AuditNamesReader {
  constructor(private readonly em: EntityManager) {}

  /** Keys are `:<actorId>` for actors and `<subjectType>:<subjectId>` for subjects. */
  async namesOf(
    events: readonly {
      actorId: string | null;
      subjectType: string | null;
      subjectId: string | null;
    }[],
  ): Promise<AuditNames> {
    const names = new Map<string, string>();
    const ids = (type: string, pattern = UUID) => [
      ...new Set(
        events
          .filter((e) => e.subjectType === type && e.subjectId && pattern.test(e.subjectId))
          .map((e) => e.subjectId!),
      ),
    ];
    const actors = [
      ...new Set(events.map((e) => e.actorId).filter((a): a is string => a !== null)),
    ];
    const people = [...new Set([...actors.filter((a) => UUID.test(a)), ...ids('person')])];
    const em = this.em.fork();
    const byPerson = new Map<string, string>();
    if (people.length > 0) {
      const rows = await em.execute<{ id: string; name: string }[]>(
        'select id::text as id, full_name as name from person where id in (select jsonb_array_elements_text(?::jsonb)::uuid)',
        [JSON.stringify(people)],
      );
      for (const r of rows) byPerson.set(r.id, r.name);
    }
    for (const actor of actors) {
      const name = byPerson.get(actor) ?? nonPersonActor(actor);
      if (name) names.set(key(null, actor), name);
    }
    for (const id of ids('person')) {
      const name = byPerson.get(id);
      if (name) names.set(key('person', id), name);
    }
    const about = async (
      type: string,
      sql: string,
      describe: (r: Row) => string,
      pattern = UUID,
    ) => {
      const wanted = ids(type, pattern);
      if (wanted.length === 0) return;
      for (const r of await em.execute<Row[]>(sql, [JSON.stringify(wanted)]))
        names.set(key(type, r.id), describe(r));
    };
    await about(
      'backgroundCheck',
      `select c.id::text as id, c.type as what, p.full_name as name
         from background_check c join person p on p.id = c.person_id where c.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      (r) => `${label(r.what)} check of ${r.name}`,
    );
    await about(
      'attestation',
      `select a.id::text as id, coalesce(a.evidence->'document'->>'title', a.document_id) as what,
         p.full_name as name
         from attestation a join person p on p.id = a.person_id where a.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      (r) => `${r.what}, attested by ${r.name}`,
    );
    await about(
      'session',
      `select s.id::text as id, '' as what, p.full_name as name
         from session s join person p on p.id = s.person_id where s.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      (r) => `Session of ${r.name}`,
    );
    // Documents are named by their id in policies/ (nda, training-phishing): their title now.
    await about(
      'document',
      `select distinct on (document_id) document_id as id, title as what, '' as name
         from document_version
         where document_id in (select jsonb_array_elements_text(?::jsonb))
         order by document_id, version_key desc`,
      (r) => r.what,
      /^[a-z0-9][a-z0-9._-]*$/,
    );
    return names;
  }
}

interface Row {
  id: string;
  what: string;
  name: string;
}

/** The name of an event's actor, if known. */
export const actorName = (names: AuditNames, actorId: string | null) =>
  actorId ? names.get(key(null, actorId)) : undefined;

/** The name of an event's subject, if known. */
export const subjectName = (names: AuditNames, type: string | null, id: string | null) =>
  id ? names.get(key(type, id)) : undefined;
