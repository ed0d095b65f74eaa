import { Injectable } from '@nestjs/common';

/** The time source, so tests can pin "now". */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
