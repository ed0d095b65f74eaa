import { OperatorError } from '../common/errors/operator.error';

/** One offending variable and what is wrong with it; never its value. */
export interface ConfigIssue {
  readonly variable: string;
  readonly problem: string;
}

export class ConfigError extends OperatorError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      [
        `Attest cannot start: ${issues.length} configuration problem(s).`,
        ...issues.map((i) => `  - ${i.variable} ${i.problem}`),
        'Set these environment variables (see the configuration table in README.md) and start again.',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }

  get variables(): string[] {
    return this.issues.map((i) => i.variable);
  }
}
