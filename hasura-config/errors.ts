/**
 * Errors of the hasura-config CLIs besides a bad value (InvalidInputError): the CLI prints the
 * message as one line and exits 2. Both extend the project's one hierarchy (lambda/errors.ts).
 */
import { HasuraCognitoError } from '../lambda/errors';

/** `--out` names a file that exists with other content, and `--force` was not given. */
export class OutputExistsError extends HasuraCognitoError {
  readonly path: string;

  constructor(path: string) {
    super(
      `${path} exists with different content; not overwritten (use --force to replace it)`,
      'no file, a file with the same content, or --force',
      'a file with different content',
    );
    this.name = 'OutputExistsError';
    this.path = path;
  }
}

/** The JWKS could not be fetched or parsed, so check-token cannot say what Hasura would do. */
export class JwksUnavailableError extends HasuraCognitoError {
  constructor(jwksUri: string, reason: string) {
    super(`cannot load the JWKS from ${jwksUri}: ${reason}`, `a JSON Web Key Set at ${jwksUri}`, reason);
    this.name = 'JwksUnavailableError';
  }
}
