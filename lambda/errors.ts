/**
 * Every error hasura-cognito throws on purpose: one hierarchy, one shape. Each carries what a
 * check `expected` and what it `found`, for logs and for callers that rethrow under another name
 * (a CLI option for a config field).
 *
 * One file for every layer, in lambda/: the trigger bundle may import nothing outside lambda/ and
 * needs the base class, and esbuild drops the classes the bundle does not use (bundle.test.ts
 * checks that no tooling-only class reaches the deployed bundle).
 *
 * Every class sets `name` itself: the Lambda bundle is minified, so class names are mangled and
 * `constructor.name` would be useless in logs.
 */

/**
 * Root of every error this project throws on purpose. Subclasses pass `expected` and `found` up and
 * never redeclare them: a class field would reset them to undefined once this constructor returns.
 */
export abstract class HasuraCognitoError extends Error {
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
export class InvalidInputError extends HasuraCognitoError {
  /** Where the value is, as the user would look for it. */
  readonly field: string;

  constructor(field: string, expected: string, found: string) {
    super(`${field}: expected ${expected}, found ${found}`, expected, found);
    this.name = 'InvalidInputError';
    this.field = field;
  }
}

// --- The trigger: a sign-in that must not get a token --------------------------------------------

/** Why a sign-in was refused; also the error's name without the `Error` suffix. */
export type SignInRejection = 'MissingUserId' | 'ClaimsTooLarge' | 'UnsupportedEvent';

/**
 * A sign-in must not get a token. Cognito shows the message to the end user
 * ("PreTokenGeneration failed with error <message>."), so the message is fixed text per class:
 * no attribute values, no config, no stack. The details for operators are in `code`, `expected`
 * and `found`, which the Lambda runtime logs with the error (own enumerable properties).
 */
export abstract class SignInRejectedError extends HasuraCognitoError {
  readonly code: SignInRejection;

  protected constructor(code: SignInRejection, message: string, expected: string, found: string) {
    super(`${message} Please contact your administrator.`, expected, found);
    this.name = 'SignInRejectedError';
    this.code = code;
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

// --- hasura-config's CLIs -----------------------------------------------------------------------

/** hasura-config's `--out` names a file that exists with other content, and `--force` was not given. */
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

/** check-token (or npm start) cannot fetch or parse the pool's JWKS, so it cannot say what Hasura would do. */
export class JwksUnavailableError extends HasuraCognitoError {
  constructor(jwksUri: string, reason: string) {
    super(`cannot load the JWKS from ${jwksUri}: ${reason}`, `a JSON Web Key Set at ${jwksUri}`, reason);
    this.name = 'JwksUnavailableError';
  }
}

/** aws-jwt-verify refuses a token for a reason Hasura does not share, so Hasura's answer is unknown. */
export class TokenUncheckableError extends HasuraCognitoError {
  constructor(reason: string) {
    super(`cannot check the signature: aws-jwt-verify refuses the token (${reason})`, 'a token aws-jwt-verify can parse', reason);
    this.name = 'TokenUncheckableError';
  }
}

// --- The pre token trigger on an existing user pool (the custom resource's handler) ---------------

/** Why the custom resource refused to change an existing pool; also the error's name without the `Error` suffix. */
export type PoolRefusal = 'TriggerConflict' | 'FeaturePlan' | 'UserWritableClaimAttribute' | 'SmsRoleNotGranted' | 'UnknownSetting';

/**
 * The custom resource that attaches the pre token generation trigger to an existing pool refuses:
 * the pool or its app client is in a state where attaching would break something or be unsafe.
 * It fails the deploy (CloudFormation shows the message) before the pool is changed.
 */
export class ExistingPoolRefusedError extends HasuraCognitoError {
  readonly code: PoolRefusal;
  readonly userPoolId: string;

  constructor(code: PoolRefusal, userPoolId: string, message: string, expected: string, found: string) {
    super(`User pool ${userPoolId}: ${message}`, expected, found);
    this.name = 'ExistingPoolRefusedError';
    this.code = code;
    this.userPoolId = userPoolId;
  }
}

// --- The users and token commands: what Cognito answered -----------------------------------------

/**
 * A request to Cognito failed: the service refused it (a wrong password, an unknown user, a group
 * that does not exist, missing permissions) or it could not be sent (no credentials, no network).
 * The CLIs print it as one line and exit 1: the arguments were fine, the operation was not.
 */
export abstract class CognitoRequestFailedError extends HasuraCognitoError {
  protected constructor(message: string, expected: string, found: string) {
    super(message, expected, found);
    this.name = 'CognitoRequestFailedError';
  }
}

/** Cognito (or the SDK sending to it) answered an operation with an error: `AdminCreateUser: UsernameExistsException: …`. */
export class CognitoServiceError extends CognitoRequestFailedError {
  /** The operation, such as `AdminCreateUser` or `sign-in`. */
  readonly operation: string;
  /** The error's name as the service or SDK gives it, such as `NotAuthorizedException`. */
  readonly errorName: string;
  /** The error's own message. */
  readonly reason: string;

  constructor(operation: string, errorName: string, reason: string) {
    super(`${operation}: ${errorName}: ${reason}`, `${operation} to succeed`, `${errorName}: ${reason}`);
    this.name = 'CognitoServiceError';
    this.operation = operation;
    this.errorName = errorName;
    this.reason = reason;
  }
}

/**
 * The sign-in answered a challenge the token command cannot answer (an MFA code, a new password,
 * a custom challenge): a frontend has to complete it.
 */
export class SignInChallengeError extends CognitoRequestFailedError {
  readonly challenge: string;

  constructor(challenge: string, what: string) {
    super(
      `the sign-in asks for ${what} (challenge ${challenge}), which this command cannot answer; complete it in a frontend, or use a user without it`,
      'tokens',
      `the challenge ${challenge}`,
    );
    this.name = 'SignInChallengeError';
    this.challenge = challenge;
  }
}

/** `--local` while no emulator serves the local stack's pool: the file npm start writes is missing, or nothing answers at its endpoint. */
export class LocalStackNotServingError extends HasuraCognitoError {
  constructor(reason: string) {
    super(
      `nothing is serving the local stack (${reason}): run npm start, and keep it running`,
      'npm start serving the local stack',
      reason,
    );
    this.name = 'LocalStackNotServingError';
  }
}

// --- npm start's local flow ----------------------------------------------------------------------

/**
 * A child of npm start (cognito-local, the Lambda host) could not start (or would share the other's
 * port), was not ready in time, or stopped on its own. The message may end with its last stderr lines.
 */
export class ChildProcessError extends HasuraCognitoError {
  constructor(message: string, expected: string, found: string) {
    super(message, expected, found);
    this.name = 'ChildProcessError';
  }
}

/** npm start cannot bind a port: one given with `--port` or `--lambda-port` (never swapped for another), or no free port at all. */
export class PortUnavailableError extends HasuraCognitoError {
  readonly port: number;

  constructor(port: number, host: string, reason: string) {
    super(`Port ${port} on ${host} cannot be used: ${reason}.`, `a free port on ${host}`, reason);
    this.name = 'PortUnavailableError';
    this.port = port;
  }
}
