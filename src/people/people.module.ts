import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PeopleService } from './people.service';
import { PersonRepository } from './person.repository';

@Module({
  controllers: [MeController],
  providers: [PersonRepository, PeopleService, MeService],
  exports: [PeopleService],
})
export class PeopleModule {}
