import { ForbiddenException } from '@nestjs/common';
import { YamlFileInvalid, type YamlFileProblem } from '../common/yaml/yaml-file.errors';

/** policies/retention.yml is missing or wrong: Attest purges nothing on a policy it cannot read. */
export class RetentionFileInvalid extends YamlFileInvalid {
  constructor(file: string, problems: readonly YamlFileProblem[]) {
    super(file, problems);
    this.name = 'RetentionFileInvalid';
  }
}

/** Segregation of duties: nobody places or lifts a legal hold on themselves. */
export class SelfHoldRefused extends ForbiddenException {
  constructor() {
    super('You cannot place or lift a legal hold on yourself. Ask another HR administrator.');
    this.name = 'SelfHoldRefused';
  }
}
