import type { EntityManager } from '@mikro-orm/postgresql';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { RequirementsService } from '../requirements/requirements.service';
import { DemoOrganisationService } from './demo-organisation.service';
import type { SeedService } from './seed.service';

describe(DemoOrganisationService.name, () => {
  function build(config: Partial<AppConfig>) {
    const em = { fork: jest.fn() };
    const seed = { seed: jest.fn(), insertPeople: jest.fn() };
    const sut = new DemoOrganisationService(
      em as unknown as EntityManager,
      seed as unknown as SeedService,
      { derive: jest.fn() } as unknown as RequirementsService,
      new Clock(),
      config as AppConfig,
    );
    return { sut, em, seed };
  }

  it.each([
    ['production, whatever the setting says', { demoData: true, isProduction: true }],
    ['DEMO_DATA=false', { demoData: false, isProduction: false }],
  ])('touches nothing in %s', async (_name, config) => {
    const { sut, em, seed } = build(config);
    await expect(sut.createIfEmpty()).resolves.toBeNull();
    expect(em.fork).not.toHaveBeenCalled();
    expect(seed.seed).not.toHaveBeenCalled();
  });
});
