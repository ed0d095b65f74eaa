import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';
import { appendOnlyTrigger } from '../database/append-only.trigger';
import { Population } from './population';

export const AuditSampleSchema = defineEntity({
  name: 'AuditSample',
  tableName: 'audit_sample',
  // A sample is audit evidence: the auditor's selection must be the one they re-perform
  // later, so the database refuses to change or remove it (a TRUNCATE guard is in the migration).
  triggers: [appendOnlyTrigger('audit_sample_append_only')],
  properties: {
    id: p.uuid().primary(),
    requestedBy: () => p.manyToOne(PersonSchema),
    population: p.enum(() => Population),
    periodFrom: p.date(),
    periodTo: p.date(),
    size: p.integer(),
    seed: p.string().length(128),
    /** How the sample was drawn (seeded-sample.ts), so a later change of method is visible. */
    algorithm: p.string().length(64),
    populationSize: p.integer(),
    /** SHA-256 of the population's ids in order, one per line: shows a later change of it. */
    populationSha256: p.string().length(64),
    /** The people drawn, in the order they were drawn. */
    personIds: p.array<string>().$type<string[]>().columnType('uuid[]'),
    createdAt: p.datetime().index(),
  },
});

/** One random selection of people from a population for a period, as an auditor drew it. */
export class AuditSample extends AuditSampleSchema.class {}
AuditSampleSchema.setClass(AuditSample);
