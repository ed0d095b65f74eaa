import { OperatorError } from '../common/errors/operator.error';

export class ApiTokenNameTaken extends OperatorError {
  constructor(name: string) {
    super(`A token named "${name}" already exists. Choose another name, or revoke that one first.`);
    this.name = 'ApiTokenNameTaken';
  }
}

export class ApiTokenNotFound extends OperatorError {
  constructor(name: string) {
    super(`There is no live token named "${name}". Run \`attest token list\` to see the names.`);
    this.name = 'ApiTokenNotFound';
  }
}

export class ApiTokenInputInvalid extends OperatorError {
  constructor(problem: string) {
    super(problem);
    this.name = 'ApiTokenInputInvalid';
  }
}
