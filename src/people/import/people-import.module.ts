import { Module } from '@nestjs/common';
import { PeopleChangesModule } from '../../people-changes/people-changes.module';
import { PersonRepository } from '../person.repository';
import { PeopleImportService } from './people-import.service';

/**
 * The people CSV import with what follows it (requirements derived again; leavers and people
 * whose identity changed signed out): HR's upload page and `attest import people` alike.
 */
@Module({
  imports: [PeopleChangesModule],
  providers: [PersonRepository, PeopleImportService],
  exports: [PeopleImportService],
})
export class PeopleImportModule {}
