import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequirementWaiver } from './requirement-waiver.entity';

export interface NewWaiver {
  readonly personId: string;
  readonly requirementId: string;
  readonly cycle: number;
  readonly waivedBy: string;
  readonly reason: string;
}

/** Appends waivers. There is deliberately no update or delete. */
@Injectable()
export class RequirementWaiverRepository {
  constructor(private readonly em: EntityManager) {}

  async append(waiver: NewWaiver, now: Date): Promise<RequirementWaiver> {
    const em = this.em.fork();
    const row = em.create(RequirementWaiver, {
      id: randomUUID(),
      person: waiver.personId,
      requirementId: waiver.requirementId,
      cycle: waiver.cycle,
      waivedAt: now,
      waivedBy: waiver.waivedBy,
      reason: waiver.reason,
    });
    await em.persist(row).flush();
    return row;
  }
}
