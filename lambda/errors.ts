/**
 * The one error hierarchy of hasura-cognito.
 *
 * Every error sets `name` explicitly: the Lambda bundle is minified, so class names are mangled
 * and `constructor.name` would be useless in logs.
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

/**
 * A sign-in must not get a token. Cognito shows the message to the end user
 * ("PreTokenGeneration failed with error <message>."), so the message is fixed text per class:
 * no attribute values, no config, no stack. The details for operators are in `expected`/`found`
 * and in `code`, which the Lambda runtime logs with the error (own enumerable properties).
 */
export abstract class SignInRejectedError extends HasuraCognitoError implements FailedCheck {
  abstract readonly code: string;
  readonly expected: string;
  readonly found: string;

  protected constructor(message: string, check: FailedCheck) {
    super(message);
    this.name = 'SignInRejectedError';
    this.expected = check.expected;
    this.found = check.found;
  }
}

/** The user has no value for the attribute that becomes `x-hasura-user-id`. */
export class MissingUserIdError extends SignInRejectedError {
  readonly code = 'MissingUserId';
  constructor(attribute: string) {
    super('Your account has no user id. Please contact your administrator.', {
      expected: `user attribute ${attribute}`,
      found: 'none',
    });
    this.name = 'MissingUserIdError';
  }
}

/** The Hasura claim would exceed the documented size cap (see MAX_HASURA_CLAIM_BYTES). */
export class ClaimsTooLargeError extends SignInRejectedError {
  readonly code = 'ClaimsTooLarge';
  constructor(maxBytes: number, foundBytes: number) {
    super('Your account has too many roles or attributes. Please contact your administrator.', {
      expected: `at most ${maxBytes} bytes`,
      found: `${foundBytes} bytes`,
    });
    this.name = 'ClaimsTooLargeError';
  }
}

/**
 * The event cannot be answered correctly: an unknown event version, a malformed event, or a
 * V1 event while the config asks for `claimsFormat: json` (V1 claims can only be strings).
 */
export class UnsupportedEventError extends SignInRejectedError {
  readonly code = 'UnsupportedEvent';
  constructor(check: FailedCheck) {
    super('Sign-in is misconfigured. Please contact your administrator.', check);
    this.name = 'UnsupportedEventError';
  }
}
