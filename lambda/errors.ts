/**
 * The one error hierarchy of hasura-cognito.
 *
 * Every class sets `name` itself: the Lambda bundle is minified, so class names are mangled and
 * `constructor.name` would be useless in logs.
 */

/** What a check wanted and what it got, for logs and for callers that branch on errors. */
export interface FailedCheck {
  readonly expected: string;
  readonly found: string;
}

/** Root of every error this project throws on purpose. */
export abstract class HasuraCognitoError extends Error {
  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HasuraCognitoError';
  }
}

/**
 * The claims configuration is invalid. Thrown by the parser, so it stops `cdk synth`, the local
 * flow's start-up and the Lambda's module load alike. The message names the field.
 */
export class ClaimsConfigError extends HasuraCognitoError implements FailedCheck {
  /** Path of the offending field, e.g. `hasuraCognito.groupRoles["admins"]`. */
  readonly field: string;
  readonly expected: string;
  readonly found: string;

  constructor(field: string, expected: string, found: string) {
    super(`Invalid claims config at ${field}: expected ${expected}, found ${found}.`);
    this.name = 'ClaimsConfigError';
    this.field = field;
    this.expected = expected;
    this.found = found;
  }
}

/** Why a sign-in was refused; also the error's name without the `Error` suffix. */
export type SignInRejection = 'MissingUserId' | 'ClaimsTooLarge' | 'UnsupportedEvent';

/**
 * A sign-in must not get a token. Cognito shows the message to the end user
 * ("PreTokenGeneration failed with error <message>."), so the message is fixed text per class:
 * no attribute values, no config, no stack. The details for operators are in `code`, `expected`
 * and `found`, which the Lambda runtime logs with the error (own enumerable properties).
 */
export abstract class SignInRejectedError extends HasuraCognitoError implements FailedCheck {
  readonly code: SignInRejection;
  readonly expected: string;
  readonly found: string;

  protected constructor(code: SignInRejection, message: string, expected: string, found: string) {
    super(`${message} Please contact your administrator.`);
    this.name = 'SignInRejectedError';
    this.code = code;
    this.expected = expected;
    this.found = found;
  }
}

/** The user has no value for the attribute that becomes `x-hasura-user-id`. */
export class MissingUserIdError extends SignInRejectedError {
  constructor(attribute: string) {
    super('MissingUserId', 'Your account has no user id.', `user attribute ${attribute}`, 'none');
    this.name = 'MissingUserIdError';
  }
}

/** The Hasura claim would exceed the documented size cap (see MAX_HASURA_CLAIM_BYTES). */
export class ClaimsTooLargeError extends SignInRejectedError {
  constructor(maxBytes: number, foundBytes: number) {
    super('ClaimsTooLarge', 'Your account has too many roles or attributes.', `at most ${maxBytes} bytes`, `${foundBytes} bytes`);
    this.name = 'ClaimsTooLargeError';
  }
}

/**
 * The event cannot be answered correctly: an unknown event version, a malformed event, or a
 * V1 event while the config asks for `claimsFormat: json` (V1 claims are strings only).
 */
export class UnsupportedEventError extends SignInRejectedError {
  constructor(expected: string, found: string) {
    super('UnsupportedEvent', 'Sign-in is misconfigured.', expected, found);
    this.name = 'UnsupportedEventError';
  }
}
