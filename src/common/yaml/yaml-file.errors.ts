import { OperatorError } from '../errors/operator.error';

/** One thing wrong with a YAML file, at the line and column where it is. */
export interface YamlFileProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * A configuration file is missing or wrong; Attest does not start on a file it cannot trust.
 * Each file has its own subclass (`RequirementsFileInvalid`, `ControlsFileInvalid`).
 */
export class YamlFileInvalid extends OperatorError {
  readonly lines: readonly string[];

  constructor(
    readonly file: string,
    readonly problems: readonly YamlFileProblem[],
  ) {
    const lines = problems.map((p) => `${file} line ${p.line}, column ${p.column}: ${p.message}`);
    super(
      [
        `Attest cannot start: ${file} has ${problems.length} problem(s).`,
        ...lines.map((line) => `  - ${line}`),
        'Fix the file and start again.',
      ].join('\n'),
    );
    this.name = 'YamlFileInvalid';
    this.lines = lines;
  }
}
