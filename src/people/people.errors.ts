import { NotFoundException } from '@nestjs/common';

/** No person has this id; answered as a plain 404, so ids cannot be probed. */
export class PersonNotFound extends NotFoundException {
  constructor() {
    super('There is no such person. Go back to the people list and choose someone from it.');
  }
}
