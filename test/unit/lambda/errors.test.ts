import {
  ClaimsConfigError,
  ClaimsTooLargeError,
  HasuraCognitoError,
  MissingUserIdError,
  type SignInRejectedError,
  UnsupportedEventError,
} from '../../../lambda/errors';

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

  it('put the field, what was expected and what was found into a ClaimsConfigError', () => {
    const error = new ClaimsConfigError('cfg.defaultRole', 'a role name', '""');
    expect(error).toBeInstanceOf(HasuraCognitoError);
    expect(error.name).toBe('ClaimsConfigError');
    expect(error.message).toBe('Invalid claims config at cfg.defaultRole: expected a role name, found "".');
    expect(Object.keys(error)).toEqual(expect.arrayContaining(['name', 'field', 'expected', 'found']));
    expect(error).toMatchObject({ field: 'cfg.defaultRole', expected: 'a role name', found: '""' });
  });
});
