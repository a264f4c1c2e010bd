/**
 * Passwords for the users the users command creates, and npm start's demo users: generated to
 * satisfy a user pool's password policy (as DescribeUserPool reports it), and a password given on
 * standard input checked against the same policy before anything is created.
 */
import { randomInt } from 'node:crypto';
import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidInputError } from '../lambda/errors';

/** What a pool requires of a password: a minimum length and the character classes. */
export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** Cognito's limits on a password (the API's MinimumLength is 6-99; a password is at most 256 characters). */
export const COGNITO_PASSWORD_MAX_LENGTH = 256;
const COGNITO_DEFAULT_MINIMUM_LENGTH = 8;
/** Generated passwords are at least this long, whatever the pool's minimum: about 119 bits from 62 characters. */
const GENERATED_MINIMUM_LENGTH = 20;

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
// A subset of the special characters Cognito counts (^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -):
// none a shell expands or quotes, so a printed password can be pasted into a command line as it is.
const SYMBOLS = '%+,-.:=@_';
/** Any password generatePassword can make: its characters only, of a length Cognito allows. */
export const GENERATED_PASSWORD = /^[A-Za-z0-9%+,\-.:=@_]{8,256}$/;
// Cognito's own set, for checking a password given on standard input.
const COGNITO_SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

/** The policy every pool of this project has (lib/hasura-cognito-auth.ts, npm start's emulator pool): every class required. */
export function projectPasswordPolicy(minimumLength: number): PasswordPolicy {
  return { minimumLength, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };
}

/** The policy as DescribeUserPool reports it (UserPool.Policies.PasswordPolicy); Cognito's defaults for what it leaves out. */
export function passwordPolicyOf(policy: PasswordPolicyType | undefined): PasswordPolicy {
  return {
    minimumLength: policy?.MinimumLength ?? COGNITO_DEFAULT_MINIMUM_LENGTH,
    requireLowercase: policy?.RequireLowercase ?? false,
    requireUppercase: policy?.RequireUppercase ?? false,
    requireNumbers: policy?.RequireNumbers ?? false,
    requireSymbols: policy?.RequireSymbols ?? false,
  };
}

/**
 * A random password satisfying `policy`: one character of each required class, the rest from
 * letters, digits and symbols, shuffled; `crypto.randomInt` for every choice, so no bias.
 */
export function generatePassword(policy: PasswordPolicy): string {
  const length = Math.min(Math.max(policy.minimumLength, GENERATED_MINIMUM_LENGTH), COGNITO_PASSWORD_MAX_LENGTH);
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)];
  const characters = [
    ...(policy.requireLowercase ? [pick(LOWERCASE)] : []),
    ...(policy.requireUppercase ? [pick(UPPERCASE)] : []),
    ...(policy.requireNumbers ? [pick(NUMBERS)] : []),
    ...(policy.requireSymbols ? [pick(SYMBOLS)] : []),
  ];
  const any = LOWERCASE + UPPERCASE + NUMBERS + SYMBOLS;
  while (characters.length < length) characters.push(pick(any));
  // Fisher-Yates: the required characters end up anywhere.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j], characters[i]];
  }
  return characters.join('');
}

/**
 * Throws InvalidInputError (`subject`) when `password` breaks `policy`, naming the rule and never
 * the password. Checked before a user is created, so a refused password leaves no user behind.
 */
export function checkPassword(password: string, policy: PasswordPolicy, subject: string): string {
  const expected = `a password the pool accepts (${describePasswordPolicy(policy)})`;
  const fail = (found: string) => {
    throw new InvalidInputError(subject, expected, found);
  };
  const length = [...password].length;
  if (length < policy.minimumLength) fail(`${length} characters`);
  if (length > COGNITO_PASSWORD_MAX_LENGTH) fail(`more than ${COGNITO_PASSWORD_MAX_LENGTH} characters`);
  // Cognito refuses a password that starts or ends with a space.
  if (/^\s|\s$/.test(password)) fail('a space at the start or the end');
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail('no lower-case letter');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail('no upper-case letter');
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail('no digit');
  if (policy.requireSymbols && !COGNITO_SYMBOLS.test(password)) fail('no special character');
  return password;
}

/** "at least 12 characters, with a lower-case letter, an upper-case letter, a digit and a special character". */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const classes = [
    policy.requireLowercase ? 'a lower-case letter' : undefined,
    policy.requireUppercase ? 'an upper-case letter' : undefined,
    policy.requireNumbers ? 'a digit' : undefined,
    policy.requireSymbols ? 'a special character' : undefined,
  ].filter((c): c is string => c !== undefined);
  const list = classes.length <= 1 ? classes.join('') : `${classes.slice(0, -1).join(', ')} and ${classes.at(-1)}`;
  return `at least ${policy.minimumLength} characters${list ? `, with ${list}` : ''}`;
}
