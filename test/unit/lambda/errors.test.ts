import * as errorModule from '../../../lambda/errors';
import {
  ChildProcessError,
  ClaimsTooLargeError,
  CognitoRequestFailedError,
  CognitoServiceError,
  ExistingPoolRefusedError,
  HasuraCognitoError,
  InvalidInputError,
  JwksUnavailableError,
  LocalStackNotServingError,
  MissingUserIdError,
  OutputExistsError,
  PortUnavailableError,
  SignInChallengeError,
  SignInRejectedError,
  TokenUncheckableError,
  UnsupportedEventError,
} from '../../../lambda/errors';

/** A subclass that sets no name of its own: what a forgetful subclass of an abstract class would show. */
class UnnamedRootError extends HasuraCognitoError {
  constructor() {
    super('message', 'something', 'something else');
  }
}
class UnnamedRequestError extends CognitoRequestFailedError {
  constructor() {
    super('message', 'something', 'something else');
  }
}
class UnnamedRejectionError extends SignInRejectedError {
  constructor() {
    super('UnsupportedEvent', 'Sign-in is misconfigured.', 'something', 'something else');
  }
}

/** One instance of every exported class, keyed by the class's export name; abstract ones through an unnamed subclass. */
const INSTANCES: Record<string, HasuraCognitoError> = {
  HasuraCognitoError: new UnnamedRootError(),
  InvalidInputError: new InvalidInputError('--region', 'an AWS region such as us-east-1', '"mars"'),
  SignInRejectedError: new UnnamedRejectionError(),
  MissingUserIdError: new MissingUserIdError('sub'),
  ClaimsTooLargeError: new ClaimsTooLargeError(4096, 5000),
  UnsupportedEventError: new UnsupportedEventError('version 1-3', 'version 4'),
  OutputExistsError: new OutputExistsError('hasura.env'),
  JwksUnavailableError: new JwksUnavailableError(
    'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x/.well-known/jwks.json',
    'HTTP 404',
  ),
  TokenUncheckableError: new TokenUncheckableError('Invalid JWT header'),
  ChildProcessError: new ChildProcessError('cognito-local was not ready within 100 ms', 'ready within 100 ms', 'not ready'),
  PortUnavailableError: new PortUnavailableError(9229, '127.0.0.1', 'EADDRINUSE'),
  ExistingPoolRefusedError: new ExistingPoolRefusedError(
    'TriggerConflict',
    'eu-west-1_x',
    'another trigger is attached',
    'no trigger',
    'arn:x',
  ),
  CognitoRequestFailedError: new UnnamedRequestError(),
  CognitoServiceError: new CognitoServiceError(
    'AdminCreateUser',
    'UsernameExistsException',
    'An account with the given email already exists.',
  ),
  SignInChallengeError: new SignInChallengeError('SOFTWARE_TOKEN_MFA', 'a code from an authenticator app'),
  LocalStackNotServingError: new LocalStackNotServingError('no .local-stack/stack.json'),
};

describe('every error class of lambda/errors.ts', () => {
  const exported = Object.entries(errorModule).filter(([, value]) => typeof value === 'function');

  it('is listed here, so a new class cannot skip these checks', () => {
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(INSTANCES).sort());
  });

  it.each(exported)('%s: name is the class name; expected and found are set; a HasuraCognitoError', (name, cls) => {
    const error = INSTANCES[name];
    expect(error).toBeInstanceOf(cls as abstract new (...args: never[]) => unknown);
    expect(error).toBeInstanceOf(HasuraCognitoError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(typeof error.expected).toBe('string');
    expect(error.expected).not.toBe('');
    expect(typeof error.found).toBe('string');
    expect(error.found).not.toBe('');
    // Own enumerable properties: what the Lambda runtime and console.error show with the error.
    expect(Object.keys(error)).toEqual(expect.arrayContaining(['name', 'expected', 'found']));
  });
});

describe('error classes', () => {
  it('name every refusal after its class and code, with code, expected and found as own enumerable properties', () => {
    // The Lambda runtime logs an error's own enumerable properties: that is where operators see why.
    const errors: [SignInRejectedError, string][] = [
      [new MissingUserIdError('sub'), 'MissingUserId'],
      [new ClaimsTooLargeError(4096, 5000), 'ClaimsTooLarge'],
      [new UnsupportedEventError('version 0-3', 'version 4'), 'UnsupportedEvent'],
    ];
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(HasuraCognitoError);
      expect(error.name).toBe(`${code}Error`);
      expect(error.code).toBe(code);
      expect(Object.keys(error)).toEqual(expect.arrayContaining(['name', 'code', 'expected', 'found']));
    }
    expect(errors[1][0]).toMatchObject({ expected: 'at most 4096 bytes', found: '5000 bytes' });
  });

  it('put the field, what was expected and what was found into an InvalidInputError, and into its one-line message', () => {
    const error = new InvalidInputError('cfg.defaultRole', 'a role name', '""');
    expect(error).toBeInstanceOf(HasuraCognitoError);
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toBe('cfg.defaultRole: expected a role name, found ""');
    expect(Object.keys(error)).toEqual(expect.arrayContaining(['name', 'field', 'expected', 'found']));
    expect(error).toMatchObject({ field: 'cfg.defaultRole', expected: 'a role name', found: '""' });
  });

  it('keep the messages the CLIs and npm start print, with the details in expected and found', () => {
    expect(INSTANCES.OutputExistsError).toMatchObject({
      message: 'hasura.env exists with different content; not overwritten (use --force to replace it)',
      path: 'hasura.env',
      found: 'a file with different content',
    });
    expect(INSTANCES.JwksUnavailableError.message).toBe(
      'cannot load the JWKS from https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x/.well-known/jwks.json: HTTP 404',
    );
    expect(INSTANCES.TokenUncheckableError).toMatchObject({
      message: 'cannot check the signature: aws-jwt-verify refuses the token (Invalid JWT header)',
      found: 'Invalid JWT header',
    });
    expect(INSTANCES.ExistingPoolRefusedError).toMatchObject({
      message: 'User pool eu-west-1_x: another trigger is attached',
      code: 'TriggerConflict',
      userPoolId: 'eu-west-1_x',
    });
    expect(Object.keys(INSTANCES.ExistingPoolRefusedError)).toEqual(expect.arrayContaining(['code', 'userPoolId']));
    expect(INSTANCES.PortUnavailableError).toMatchObject({
      message: 'Port 9229 on 127.0.0.1 cannot be used: EADDRINUSE.',
      port: 9229,
      expected: 'a free port on 127.0.0.1',
      found: 'EADDRINUSE',
    });
  });
});
