import { BadRequestException, NotFoundException } from '@nestjs/common';
import { plural } from '../common/labels';
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
  constructor(
    readonly size: number,
    readonly populationSize: number,
  ) {
    super(
      populationSize === 0
        ? 'Nobody is in this population for this period, so there is nothing to sample. Choose another population or period.'
        : `The population has ${plural(populationSize, 'person', 'people')}: enter a sample size of ${populationSize} or fewer (you asked for ${size}).`,
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

/** An unknown person id on the evidence view, or one that is not an id at all. */
export class EvidencePersonNotFound extends NotFoundException {
  constructor() {
    super(
      'There is no such person. Go back to the sample or population and choose someone from it.',
    );
    this.name = 'EvidencePersonNotFound';
  }
}
