import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { AuditPeriod } from './audit-period';
import { AuditSampleRepository } from './audit-sample.repository';
import { SampleNotFound, SampleTooLarge } from './auditors.errors';
import { POPULATION_LABELS, type Population } from './population';
import { PopulationRepository, type PopulationRow } from './population.repository';
import { populationCsvRow, POPULATION_CSV_HEADER } from './populations.service';
import { DEFAULT_SAMPLE_SIZE } from './dto/sample-form.dto';
import { drawSample, newSeed, populationDigest, SAMPLING_ALGORITHM } from './seeded-sample';
import type { CsvRows } from '../common/csv/stream-csv';

export interface SampleRequest {
  readonly population: Population;
  readonly period: AuditPeriod;
  /** Absent: {@link DEFAULT_SAMPLE_SIZE}, or everyone when the population is smaller. */
  readonly size?: number;
  /** Absent: a fresh random seed is made, recorded and shown. */
  readonly seed?: string;
}

export interface SampleView {
  title: string;
  id: string;
  population: Population;
  populationLabel: string;
  from: string;
  to: string;
  size: number;
  seed: string;
  algorithm: string;
  populationSize: number;
  /** A population smaller than the usual sample, taken whole: said in words on the page. */
  wholePopulation: boolean;
  populationSha256: string;
  /** Whether the population, drawn again now, still has the same ids in the same order. */
  populationUnchanged: boolean;
  requestedBy: string;
  createdAt: string;
  people: (PopulationRow & { position: number })[];
}

export const SAMPLE_CSV_HEADER = ['position', ...POPULATION_CSV_HEADER];

/** Random samples of a population that anyone holding the seed can draw again. */
@Injectable()
export class SamplesService {
  constructor(
    private readonly samples: AuditSampleRepository,
    private readonly people: PopulationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Draws and records a sample; the audit event commits with it or not at all. */
  async draw(actor: Principal, request: SampleRequest): Promise<string> {
    const { population, period } = request;
    const seed = request.seed ?? newSeed();
    return this.samples.transaction(async (tx) => {
      const ids = await this.people.ids(population, period, tx);
      const size = request.size ?? Math.min(DEFAULT_SAMPLE_SIZE, ids.length);
      if (size > ids.length || size === 0) throw new SampleTooLarge(size, ids.length);
      const sample = this.samples.addIn(
        tx,
        {
          requestedBy: actor.personId,
          population,
          periodFrom: period.from,
          periodTo: period.to,
          size,
          seed,
          algorithm: SAMPLING_ALGORITHM,
          populationSize: ids.length,
          populationSha256: populationDigest(ids),
          personIds: drawSample(ids, size, seed),
        },
        this.clock.now(),
      );
      await tx.flush();
      await this.audit.recordIn(tx, {
        action: 'sample.drawn',
        actorId: actor.personId,
        subjectType: 'auditSample',
        subjectId: sample.id,
        details: {
          population,
          from: period.from,
          to: period.to,
          size,
          seedGiven: request.seed !== undefined,
          sizeGiven: request.size !== undefined,
          populationSize: ids.length,
        },
      });
      return sample.id;
    });
  }

  async show(actor: Principal, id: string): Promise<SampleView> {
    const sample = await this.samples.findById(id);
    if (!sample) throw new SampleNotFound();
    const period = { from: sample.periodFrom, to: sample.periodTo };
    const people = await this.inDrawOrder(sample.personIds);
    const currentIds = await this.people.ids(sample.population, period);
    await this.audit.record({
      action: 'sample.viewed',
      actorId: actor.personId,
      subjectType: 'auditSample',
      subjectId: sample.id,
    });
    return {
      title: `Sample of ${sample.size}`,
      id: sample.id,
      population: sample.population,
      populationLabel: POPULATION_LABELS[sample.population],
      from: sample.periodFrom,
      to: sample.periodTo,
      size: sample.size,
      seed: sample.seed,
      algorithm: sample.algorithm,
      populationSize: sample.populationSize,
      wholePopulation:
        sample.size === sample.populationSize && sample.populationSize < DEFAULT_SAMPLE_SIZE,
      populationSha256: sample.populationSha256,
      populationUnchanged: populationDigest(currentIds) === sample.populationSha256,
      requestedBy: sample.requestedBy.id,
      createdAt: sample.createdAt.toISOString(),
      people,
    };
  }

  /** The sampled people as CSV rows, in the order they were drawn. */
  async exportCsv(actor: Principal, id: string): Promise<{ name: string; rows: CsvRows }> {
    const sample = await this.samples.findById(id);
    if (!sample) throw new SampleNotFound();
    await this.audit.record({
      action: 'sample.exported',
      actorId: actor.personId,
      subjectType: 'auditSample',
      subjectId: sample.id,
    });
    const people = await this.inDrawOrder(sample.personIds);
    return {
      name: `sample-${sample.population}-${sample.periodFrom}-${sample.periodTo}-${sample.id.slice(0, 8)}`,
      rows: people.map((p) => [p.position, ...populationCsvRow(p)]),
    };
  }

  private async inDrawOrder(
    ids: readonly string[],
  ): Promise<(PopulationRow & { position: number })[]> {
    const byId = new Map((await this.people.byIds(ids)).map((p) => [p.id, p]));
    // People are never deleted (their evidence refers to them), so each id is found.
    return ids.flatMap((id, i) => {
      const person = byId.get(id);
      return person ? [{ ...person, position: i + 1 }] : [];
    });
  }
}
