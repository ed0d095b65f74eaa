import { EntityManager } from '@mikro-orm/postgresql';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/app-config';
import { DEFAULT_REQUIREMENTS_FILE } from './requirements-file.loader';
import { REQUIREMENTS_FILE } from './requirement-rules';
import { RequirementsFileInvalid } from './requirements.errors';
import { RequirementsModule } from './requirements.module';
import { RequirementsService } from './requirements.service';

/** What the app's global modules provide; nothing here is called while the module starts. */
@Global()
@Module({
  providers: [
    { provide: EntityManager, useValue: {} },
    { provide: AuditService, useValue: {} },
    { provide: APP_CONFIG, useValue: { policiesDir: dirname(DEFAULT_REQUIREMENTS_FILE) } },
    Clock,
  ],
  exports: [EntityManager, AuditService, APP_CONFIG, Clock],
})
class GlobalsStub {}

async function start(file?: string) {
  const builder = Test.createTestingModule({ imports: [GlobalsStub, RequirementsModule] });
  if (file) builder.overrideProvider(REQUIREMENTS_FILE).useValue(file);
  const moduleRef = await builder.compile();
  return moduleRef.init();
}

describe(RequirementsModule.name, () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'attest-requirements-module-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with the shipped rules and exports the service', async () => {
    const app = await start();
    expect(app.get(RequirementsService)).toBeInstanceOf(RequirementsService);
    await app.close();
  });

  it('refuses to start on a bad rules file, naming the line', async () => {
    const file = join(dir, 'requirements.yml');
    writeFileSync(
      file,
      'version: 1\nrequirements:\n  - id: nda\n    kind: document\n    subject: nda\n    due: { days_after_start: soon }\n',
    );
    const failure = start(file);
    await expect(failure).rejects.toBeInstanceOf(RequirementsFileInvalid);
    await expect(failure).rejects.toThrow(
      /line 6, column 30: due\.days_after_start must be a whole number/,
    );
  });
});
