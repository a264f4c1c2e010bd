/**
 * Every error hasura-cognito throws on purpose: one hierarchy, one shape. Each carries what a
 * check `expected` and what it `found`, for logs and for callers that rethrow under another name
 * (a CLI option for a config field).
 *
 * Every class sets `name` itself: the Lambda bundle is minified, so class names are mangled and
 * `constructor.name` would be useless in logs.
 */
export {
  HasuraCognitoError,
  // Configuration, options and input files, in every layer.
  InvalidInputError,
  // The trigger: a sign-in that must not get a token.
  type SignInRejection,
  SignInRejectedError,
  MissingUserIdError,
  ClaimsTooLargeError,
  UnsupportedEventError,
};

/** Root of every error this project throws on purpose. */
abstract class HasuraCognitoError extends Error {
  readonly expected: string;
  readonly found: string;

  protected constructor(message: string, expected: string, found: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HasuraCognitoError';
    this.expected = expected;
    this.found = found;
  }
}

/**
 * A value is invalid: a config field (`hasuraCognito.groupRoles.admins`, `HASURA_CLAIMS_CONFIG.namespace`),
 * a CLI option (`--region`), or a field of an input file (`--outputs FILE stack S output HasuraJwtSecret field audience`).
 * Stops `cdk synth`, the Lambda's module load and npm start; the CLIs and npm start print it as
 * one line and exit 2.
 */
class InvalidInputError extends HasuraCognitoError {
  /** Where the value is, as the user would look for it. */
  readonly field: string;

  constructor(field: string, expected: string, found: string) {
    super(`${field}: expected ${expected}, found ${found}`, expected, found);
    this.name = 'InvalidInputError';
    this.field = field;
  }
}

/** Why a sign-in was refused; also the error's name without the `Error` suffix. */
type SignInRejection = 'MissingUserId' | 'ClaimsTooLarge' | 'UnsupportedEvent';

/**
 * A sign-in must not get a token. Cognito shows the message to the end user
 * ("PreTokenGeneration failed with error <message>."), so the message is fixed text per class:
 * no attribute values, no config, no stack. The details for operators are in `code`, `expected`
 * and `found`, which the Lambda runtime logs with the error (own enumerable properties).
 */
abstract class SignInRejectedError extends HasuraCognitoError {
  readonly code: SignInRejection;

  protected constructor(code: SignInRejection, message: string, expected: string, found: string) {
    super(`${message} Please contact your administrator.`, expected, found);
    this.name = 'SignInRejectedError';
    this.code = code;
  }
}

/** The user has no value for the attribute that becomes `x-hasura-user-id`. */
class MissingUserIdError extends SignInRejectedError {
  constructor(attribute: string) {
    super('MissingUserId', 'Your account has no user id.', `user attribute ${attribute}`, 'none');
    this.name = 'MissingUserIdError';
  }
}

/** The Hasura claim would exceed the documented size cap (see MAX_HASURA_CLAIM_BYTES). */
class ClaimsTooLargeError extends SignInRejectedError {
  constructor(maxBytes: number, foundBytes: number) {
    super('ClaimsTooLarge', 'Your account has too many roles or attributes.', `at most ${maxBytes} bytes`, `${foundBytes} bytes`);
    this.name = 'ClaimsTooLargeError';
  }
}

/**
 * The event cannot be answered correctly: an unknown event version, a malformed event, or a
 * V1 event while the config asks for `claimsFormat: json` (V1 claims are strings only).
 */
class UnsupportedEventError extends SignInRejectedError {
  constructor(expected: string, found: string) {
    super('UnsupportedEvent', 'Sign-in is misconfigured.', expected, found);
    this.name = 'UnsupportedEventError';
  }
}
