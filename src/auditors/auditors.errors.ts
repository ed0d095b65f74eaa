import { BadRequestException, NotFoundException } from '@nestjs/common';
import { YamlFileInvalid, type YamlFileProblem } from '../common/yaml/yaml-file.errors';

/** A period that is not two dates, runs backwards, or is too long. */
export class PeriodInvalid extends BadRequestException {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodInvalid';
  }
}

export class PopulationUnknown extends NotFoundException {
  constructor() {
    super('There is no such population. Choose new-hires, terminations or active.');
    this.name = 'PopulationUnknown';
  }
}

/** More people asked for than the population has (or an empty population). */
export class SampleTooLarge extends BadRequestException {
  constructor(size: number, populationSize: number) {
    super(
      populationSize === 0
        ? 'Nobody is in this population for this period, so there is nothing to sample. Check the period.'
        : `The population has ${populationSize} people; choose a sample size of at most ${populationSize} (you asked for ${size}).`,
    );
    this.name = 'SampleTooLarge';
  }
}

export class SampleNotFound extends NotFoundException {
  constructor() {
    super('There is no such sample. Go back to the populations page and take one.');
    this.name = 'SampleNotFound';
  }
}

/** An unknown person id, in words for an API client. */
export class ApiPersonNotFound extends NotFoundException {
  constructor() {
    super('There is no such person. Take the id from GET /api/v1/people or from a population.');
    this.name = 'ApiPersonNotFound';
  }
}

export class ControlNotFound extends NotFoundException {
  constructor() {
    super('There is no such control. Go back to the controls page and choose one from it.');
    this.name = 'ControlNotFound';
  }
}

/** The controls file is missing or wrong; Attest does not start on a mapping it cannot read. */
export class ControlsFileInvalid extends YamlFileInvalid {
  constructor(file: string, problems: readonly YamlFileProblem[]) {
    super(file, problems);
    this.name = 'ControlsFileInvalid';
  }
}
