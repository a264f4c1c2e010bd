/**
 * Errors of the hasura-config CLIs. Each one is a bad input or option: the CLI prints its message
 * as one line and exits 2. Both extend the project's one hierarchy (lambda/errors.ts).
 */
import { HasuraCognitoError, type FailedCheck } from '../lambda/errors';

/** An option, an input file or a value in it is missing, malformed or conflicting. */
export class HasuraConfigInputError extends HasuraCognitoError implements FailedCheck {
  /** What was checked: an option (`--region`), a file, or a field in a file. */
  readonly subject: string;
  readonly expected: string;
  readonly found: string;

  constructor(subject: string, expected: string, found: string) {
    super(`${subject}: expected ${expected}, found ${found}`);
    this.name = 'HasuraConfigInputError';
    this.subject = subject;
    this.expected = expected;
    this.found = found;
  }
}

/** `--out` names a file that exists with other content, and `--force` was not given. */
export class OutputExistsError extends HasuraCognitoError implements FailedCheck {
  readonly path: string;
  readonly expected = 'no file, a file with the same content, or --force';
  readonly found = 'a file with different content';

  constructor(path: string) {
    super(`${path} exists with different content; not overwritten (use --force to replace it)`);
    this.name = 'OutputExistsError';
    this.path = path;
  }
}

/** The JWKS could not be fetched or parsed, so check-token cannot say what Hasura would do. */
export class JwksUnavailableError extends HasuraCognitoError implements FailedCheck {
  readonly expected: string;
  readonly found: string;

  constructor(jwksUri: string, reason: string) {
    super(`cannot load the JWKS from ${jwksUri}: ${reason}`);
    this.name = 'JwksUnavailableError';
    this.expected = `a JSON Web Key Set at ${jwksUri}`;
    this.found = reason;
  }
}
