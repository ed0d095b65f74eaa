import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

const READINESS_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(private readonly em: EntityManager) {}

  /** True when the database answers a trivial query within the readiness timeout. */
  async isDatabaseReady(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
    });
    const probe = this.em
      .getConnection()
      .execute('select 1 as ok')
      .then(() => true)
      .catch(() => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
