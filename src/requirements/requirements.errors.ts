import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { YamlFileInvalid, type YamlFileProblem } from '../common/yaml/yaml-file.errors';

/** The rules file is missing or wrong; Attest does not start with rules it cannot trust. */
export class RequirementsFileInvalid extends YamlFileInvalid {
  constructor(file: string, problems: readonly YamlFileProblem[]) {
    super(file, problems);
    this.name = 'RequirementsFileInvalid';
  }
}

/**
 * The person or the requirement does not exist. Deliberately one error: from outside, "no
 * such person" and "no such requirement" look the same.
 */
export class RequirementNotFound extends NotFoundException {
  constructor() {
    super('There is no such requirement for this person. Check the person and requirement.');
    this.name = 'RequirementNotFound';
  }
}

export class SelfWaiverRefused extends ForbiddenException {
  constructor() {
    super('You cannot waive your own requirements. Ask another HR administrator.');
    this.name = 'SelfWaiverRefused';
  }
}

export class WaiverReasonInvalid extends BadRequestException {
  constructor() {
    super('Give a reason for the waiver, in at most 1000 characters: auditors will read it.');
    this.name = 'WaiverReasonInvalid';
  }
}

export class WaiverCycleInvalid extends BadRequestException {
  constructor() {
    super('Only a requirement cycle the person currently has can be waived. Reload and try again.');
    this.name = 'WaiverCycleInvalid';
  }
}
