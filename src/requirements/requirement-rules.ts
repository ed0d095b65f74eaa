import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequirementRule } from './requirement-rule';
import { loadRequirementsFile } from './requirements-file.loader';

/** Injection token for the path of the rules file. */
export const REQUIREMENTS_FILE = Symbol('REQUIREMENTS_FILE');

/**
 * The organisation's rules, read once when the module starts. A bad file stops the start with
 * every problem's line and column: Attest never runs on rules it could not read.
 */
@Injectable()
export class RequirementRules implements OnModuleInit {
  private rules: readonly RequirementRule[] | undefined;
  private byIdMap = new Map<string, RequirementRule>();

  constructor(@Inject(REQUIREMENTS_FILE) private readonly file: string) {}

  onModuleInit(): void {
    this.rules = loadRequirementsFile(this.file);
    this.byIdMap = new Map(this.rules.map((rule) => [rule.id, rule]));
  }

  all(): readonly RequirementRule[] {
    if (!this.rules) throw new Error('RequirementRules used before the module was initialised');
    return this.rules;
  }

  byId(id: string): RequirementRule | undefined {
    return this.byIdMap.get(id);
  }
}
