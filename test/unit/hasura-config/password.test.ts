/** Generated passwords against pool policies, and the check of a password given on standard input. */
import fc from 'fast-check';
import {
  checkPassword,
  describePasswordPolicy,
  GENERATED_PASSWORD,
  generatePassword,
  type PasswordPolicy,
  passwordPolicyOf,
  projectPasswordPolicy,
} from '../../../hasura-config/password';

const policies = fc.record({
  minimumLength: fc.integer({ min: 6, max: 99 }),
  requireLowercase: fc.boolean(),
  requireUppercase: fc.boolean(),
  requireNumbers: fc.boolean(),
  requireSymbols: fc.boolean(),
});

describe('generatePassword', () => {
  it('satisfies every policy Cognito allows (MinimumLength 6-99, any classes), as checkPassword checks it', () => {
    fc.assert(
      fc.property(policies, (policy) => {
        const password = generatePassword(policy);
        expect(checkPassword(password, policy, '--password -')).toBe(password);
        expect(password.length).toBeGreaterThanOrEqual(Math.max(policy.minimumLength, 20));
        // What npm start's kept demo passwords are checked against.
        expect(password).toMatch(GENERATED_PASSWORD);
      }),
    );
  });

  it('has every required class even at the minimum length, and only shell-inert characters', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword(projectPasswordPolicy(8));
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[%+,\-.:=@_]/);
      expect(password).toMatch(/^[A-Za-z0-9%+,\-.:=@_]+$/);
    }
  });

  it('is long enough for a 99-character minimum, and random', () => {
    expect(generatePassword(projectPasswordPolicy(99))).toHaveLength(99);
    expect(new Set(Array.from({ length: 50 }, () => generatePassword(projectPasswordPolicy(12)))).size).toBe(50);
  });
});

describe('passwordPolicyOf', () => {
  it('reads DescribeUserPool’s PasswordPolicy, with Cognito’s defaults for what it leaves out', () => {
    expect(passwordPolicyOf({ MinimumLength: 14, RequireLowercase: true, RequireUppercase: false, RequireNumbers: true })).toEqual({
      minimumLength: 14,
      requireLowercase: true,
      requireUppercase: false,
      requireNumbers: true,
      requireSymbols: false,
    });
    expect(passwordPolicyOf(undefined)).toEqual({
      minimumLength: 8,
      requireLowercase: false,
      requireUppercase: false,
      requireNumbers: false,
      requireSymbols: false,
    });
  });
});

describe('checkPassword', () => {
  const policy: PasswordPolicy = projectPasswordPolicy(12);
  const refused = (password: string) => {
    try {
      checkPassword(password, policy, '--password -');
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  it('names the rule broken, never the password', () => {
    const rules =
      'a password the pool accepts (at least 12 characters, with a lower-case letter, an upper-case letter, a digit and a special character)';
    expect(refused('Short1!a')).toBe(`--password -: expected ${rules}, found 8 characters`);
    expect(refused('alllowercase1!')).toBe(`--password -: expected ${rules}, found no upper-case letter`);
    expect(refused('ALLUPPERCASE1!')).toBe(`--password -: expected ${rules}, found no lower-case letter`);
    expect(refused('NoDigitsHere!!')).toBe(`--password -: expected ${rules}, found no digit`);
    expect(refused('NoSymbols12345')).toBe(`--password -: expected ${rules}, found no special character`);
    expect(refused(' Leading1!space')).toBe(`--password -: expected ${rules}, found a space at the start or the end`);
    expect(refused(`Aa1!${'x'.repeat(253)}`)).toBe(`--password -: expected ${rules}, found more than 256 characters`);
  });

  it('accepts any of Cognito’s special characters, not only the generated ones', () => {
    for (const symbol of '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-') expect(refused(`Abcdefghij1${symbol}`)).toBeUndefined();
  });

  it('describes a policy without classes', () => {
    expect(describePasswordPolicy(passwordPolicyOf({ MinimumLength: 6 }))).toBe('at least 6 characters');
    expect(describePasswordPolicy({ ...passwordPolicyOf({ MinimumLength: 6 }), requireNumbers: true })).toBe(
      'at least 6 characters, with a digit',
    );
  });
});
