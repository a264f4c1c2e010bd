import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HasuraCognitoError, InvalidInputError } from '../../../lambda/errors';
import {
  DEFAULT_STACK_NAME,
  DEFAULT_USER_WRITABLE_ATTRIBUTES,
  LOG_RETENTION_DAYS,
  POOL_OPTION_FIELDS,
  parseStackConfig,
  splitStackConfig,
} from '../../../lib/stack-config';
import { CDK_JSON } from './helpers';

/** The error thrown for `input`, which must be a HasuraCognitoError. */
function errorOf(input: unknown): HasuraCognitoError & { field: string } {
  try {
    parseStackConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(HasuraCognitoError);
    return error as HasuraCognitoError & { field: string };
  }
  throw new Error('expected the config to be refused');
}

describe('parseStackConfig defaults', () => {
  test('an absent block gives the documented defaults', () => {
    const config = parseStackConfig(undefined);
    expect(config).toMatchObject({
      stackName: 'HasuraCognito',
      featurePlan: 'essentials',
      selfSignUp: false,
      passwordMinLength: 12,
      mfa: 'optional',
      removalPolicy: 'retain',
      userWritableAttributes: [],
      callbackUrls: [],
      logoutUrls: [],
      domainPrefix: undefined,
      passwordAuth: false,
      accessTokenValidityMinutes: 60,
      idTokenValidityMinutes: 60,
      refreshTokenValidityDays: 30,
      logRetentionDays: 30,
      alarmTopicArn: undefined,
      triggerVersion: 'V2_0',
      machineClients: {},
      customAttributes: [],
    });
    expect(config.claims).toMatchObject({ tokenUse: 'access', defaultRole: 'user', userIdAttribute: 'sub', machineClients: {} });
    expect(config.writeAttributes).toEqual([...DEFAULT_USER_WRITABLE_ATTRIBUTES].sort());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.writeAttributes)).toBe(true);
  });

  test('the JSON text given with -c is parsed like the object', () => {
    const object = { groupRoles: { admins: 'admin' }, mfa: 'required' };
    expect(parseStackConfig(JSON.stringify(object))).toEqual(parseStackConfig(object));
  });

  test('the example block in cdk.json is valid', () => {
    const config = parseStackConfig(CDK_JSON.context.hasuraCognito);
    expect(Object.keys(config.claims.groupRoles).length).toBeGreaterThan(0);
    expect(config.customAttributes).toEqual(['custom:org_id']);
  });

  test('the trigger version follows tokenUse and machineClients, and the plan follows the version', () => {
    expect(parseStackConfig({ tokenUse: 'access' })).toMatchObject({ triggerVersion: 'V2_0', featurePlan: 'essentials' });
    expect(parseStackConfig({ tokenUse: 'id' })).toMatchObject({ triggerVersion: 'V1_0', featurePlan: 'lite' });
    expect(parseStackConfig({ tokenUse: 'id', featurePlan: 'essentials' })).toMatchObject({ featurePlan: 'essentials' });
    const m2m = { machineClients: { reporting: { role: 'reporter' } }, domainPrefix: 'example-auth' };
    expect(parseStackConfig(m2m)).toMatchObject({ triggerVersion: 'V3_0', featurePlan: 'essentials' });
    expect(parseStackConfig({ ...m2m, tokenUse: 'id' })).toMatchObject({ triggerVersion: 'V3_0', featurePlan: 'essentials' });
  });

  test('machine clients are kept by name and left out of the Lambda claims', () => {
    const config = parseStackConfig({
      machineClients: { reporting: { role: 'reporter', sessionVariables: { 'x-hasura-org-id': '42' } } },
      domainPrefix: 'example-auth',
    });
    expect(config.machineClients).toEqual({ reporting: { role: 'reporter', sessionVariables: { 'x-hasura-org-id': '42' } } });
    expect(config.claims.machineClients).toEqual({});
  });

  test("the log retention list is CloudWatch's (RetentionDays without INFINITE)", () => {
    const cdkValues = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE);
    expect([...LOG_RETENTION_DAYS]).toEqual(cdkValues);
  });
});

describe('attributes', () => {
  test('attributes the claims read are never writable; the declared custom attributes are created, in declared order', () => {
    const config = parseStackConfig({
      customAttributes: ['custom:user_id', 'custom:org_id', 'custom:unused'],
      userIdAttribute: 'custom:user_id',
      sessionVariables: { 'x-hasura-org-id': 'custom:org_id', 'x-hasura-locale': 'locale', 'x-hasura-site': 'website' },
    });
    expect(config.claimAttributes).toEqual(['custom:user_id', 'custom:org_id', 'locale', 'website']);
    expect(config.customAttributes).toEqual(['custom:user_id', 'custom:org_id', 'custom:unused']);
    for (const attribute of config.claimAttributes) expect(config.writeAttributes).not.toContain(attribute);
    expect(config.writeAttributes).toContain('name');
    expect(config.readAttributes).toEqual(expect.arrayContaining(['email', 'custom:org_id', 'custom:user_id', 'locale', 'website']));
  });

  test('a user-writable custom attribute is created and writable; others listed are added', () => {
    const config = parseStackConfig({ customAttributes: ['custom:nickname2'], userWritableAttributes: ['custom:nickname2', 'email'] });
    expect(config.customAttributes).toEqual(['custom:nickname2']);
    expect(config.writeAttributes).toEqual(expect.arrayContaining(['custom:nickname2', 'email']));
  });

  test('listing an attribute the claims read as user-writable is refused, naming the entry', () => {
    const error = errorOf({
      customAttributes: ['custom:org_id'],
      sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
      userWritableAttributes: ['name', 'custom:org_id'],
    });
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('hasuraCognito.userWritableAttributes[1]');
    expect(error.message).toBe(
      'hasuraCognito.userWritableAttributes[1]: expected an attribute the claims do not read (userIdAttribute and sessionVariables decide roles and ids; users must not write them), found "custom:org_id"',
    );
    expect(errorOf({ userIdAttribute: 'email', userWritableAttributes: ['email'] }).field).toBe('hasuraCognito.userWritableAttributes[0]');
  });
});

describe("customAttributes: the pool's custom attributes, declared once", () => {
  // Cognito refuses to remove or change a custom attribute ("Existing schema attributes cannot be
  // modified or deleted"), so the schema must not follow what the claims happen to read today.
  test('a custom attribute read or made writable but not declared is refused, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ sessionVariables: { 'x-hasura-org-id': 'custom:org_id' } }, 'hasuraCognito.sessionVariables["x-hasura-org-id"]'],
      [{ userIdAttribute: 'custom:user_id' }, 'hasuraCognito.userIdAttribute'],
      [{ customAttributes: ['custom:org_id'], userWritableAttributes: ['custom:nickname2'] }, 'hasuraCognito.userWritableAttributes[0]'],
    ];
    for (const [input, field] of cases) {
      const error = errorOf(input);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe(field);
      expect((error as InvalidInputError).expected).toMatch(/declared in customAttributes/);
      expect((error as InvalidInputError).expected).toMatch(/add it to customAttributes/);
    }
  });

  test('the schema is the declared list whatever the claims read', () => {
    const declared = ['custom:org_id', 'custom:tenant'];
    const reading = parseStackConfig({
      customAttributes: declared,
      sessionVariables: { 'x-hasura-org-id': 'custom:org_id', 'x-hasura-tenant': 'custom:tenant' },
    });
    const notReading = parseStackConfig({ customAttributes: declared });
    expect(reading.customAttributes).toEqual(declared);
    expect(notReading.customAttributes).toEqual(declared);
  });

  const invalid: [string, unknown, string, RegExp][] = [
    ['not a list', { customAttributes: 'custom:org_id' }, 'hasuraCognito.customAttributes', /an array/],
    [
      'a name without the prefix',
      { customAttributes: ['org_id'] },
      'hasuraCognito.customAttributes[0]',
      /"custom:<1-20 letters, digits or _>"/,
    ],
    ['a name too long', { customAttributes: ['custom:abcdefghijklmnopqrstu'] }, 'hasuraCognito.customAttributes[0]', /1-20/],
    ['a name with a dash', { customAttributes: ['custom:org-id'] }, 'hasuraCognito.customAttributes[0]', /letters, digits or _/],
    ['a duplicate', { customAttributes: ['custom:a', 'custom:b', 'custom:a'] }, 'hasuraCognito.customAttributes[2]', /no duplicate/],
    ['a standard attribute', { customAttributes: ['email'] }, 'hasuraCognito.customAttributes[0]', /custom:/],
  ];
  test.each(invalid)('refuses %s, naming the entry', (_name, input, field, expected) => {
    const error = errorOf(input);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(expected);
  });
});

describe('invalid configs name the field', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['not JSON text', '{nope', 'hasuraCognito', /expected a JSON object/],
    ['an array', [], 'hasuraCognito', /expected an object, found an array/],
    ['an unknown field', { groupRole: {} }, 'hasuraCognito.groupRole', /an unknown field/],
    ['a bad claims field (shared parser)', { groupRoles: { admins: '' } }, 'hasuraCognito.groupRoles.admins', /role name/],
    ['json claims with tokenUse id', { tokenUse: 'id', claimsFormat: 'json' }, 'hasuraCognito.claimsFormat', /V1_0/],
    ['Lite with access tokens', { featurePlan: 'lite' }, 'hasuraCognito.featurePlan', /not available on Lite/],
    ['an unknown MFA mode', { mfa: 'sometimes' }, 'hasuraCognito.mfa', /one of "optional", "required", "off"/],
    ['a short password', { passwordMinLength: 7 }, 'hasuraCognito.passwordMinLength', /from 8 to 99/],
    ['a non-integer password length', { passwordMinLength: 12.5 }, 'hasuraCognito.passwordMinLength', /integer/],
    ['a removal policy typo', { removalPolicy: 'delete' }, 'hasuraCognito.removalPolicy', /"retain", "destroy"/],
    ['a string boolean', { selfSignUp: 'yes' }, 'hasuraCognito.selfSignUp', /true or false/],
    ['passwordAuth as a number', { passwordAuth: 1 }, 'hasuraCognito.passwordAuth', /true or false/],
    [
      'an http callback URL',
      { callbackUrls: ['http://app.example.com/cb'], domainPrefix: 'ex-auth' },
      'hasuraCognito.callbackUrls[0]',
      /https URL/,
    ],
    [
      'callback URLs without a domain',
      { callbackUrls: ['https://app.example.com/cb'] },
      'hasuraCognito.domainPrefix',
      /required with callbackUrls/,
    ],
    [
      'machine clients without a domain',
      { machineClients: { svc: { role: 'svc' } } },
      'hasuraCognito.domainPrefix',
      /required with machineClients/,
    ],
    ['logout URLs without callback URLs', { logoutUrls: ['https://app.example.com/'] }, 'hasuraCognito.logoutUrls', /unless callbackUrls/],
    [
      'a duplicate URL',
      { callbackUrls: ['https://a.example.com/', 'https://a.example.com/'], domainPrefix: 'ex-auth' },
      'hasuraCognito.callbackUrls[1]',
      /no duplicate/,
    ],
    ['a reserved domain prefix', { domainPrefix: 'my-cognito' }, 'hasuraCognito.domainPrefix', /Cognito refuses/],
    ['an upper-case domain prefix', { domainPrefix: 'MyAuth' }, 'hasuraCognito.domainPrefix', /domain prefix/],
    ['an odd log retention', { logRetentionDays: 31 }, 'hasuraCognito.logRetentionDays', /one of 1, 3, 5/],
    ['a non-SNS topic ARN', { alarmTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' }, 'hasuraCognito.alarmTopicArn', /SNS topic ARN/],
    ['a bad stack name', { stackName: '1stack' }, 'hasuraCognito.stackName', /stack name/],
    ['a long access token validity', { accessTokenValidityMinutes: 1441 }, 'hasuraCognito.accessTokenValidityMinutes', /5 to 1440/],
    ['a refresh validity of zero', { refreshTokenValidityDays: 0 }, 'hasuraCognito.refreshTokenValidityDays', /1 to 3650/],
    [
      'an unknown standard attribute',
      { userWritableAttributes: ['role'] },
      'hasuraCognito.userWritableAttributes[0]',
      /standard attribute/,
    ],
    [
      'a too long custom attribute',
      { userWritableAttributes: ['custom:abcdefghijklmnopqrstu'] },
      'hasuraCognito.userWritableAttributes[0]',
      /1-20/,
    ],
    [
      'a custom attribute the stack cannot create',
      { sessionVariables: { 'x-hasura-org': 'custom:org-id' } },
      'hasuraCognito.sessionVariables["x-hasura-org"]',
      /1-20 letters/,
    ],
    [
      'a machine client name with a space',
      { machineClients: { 'my svc': { role: 'svc' } }, domainPrefix: 'ex-auth' },
      'hasuraCognito.machineClients["my svc"]',
      /machine client name/,
    ],
    [
      'a machine client without a role (shared parser)',
      { machineClients: { svc: {} }, domainPrefix: 'ex-auth' },
      'hasuraCognito.machineClients.svc.role',
      /a role name/,
    ],
  ];

  test.each(cases)('%s', (_name, input, field, message) => {
    const error = errorOf(input);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: expected `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  test.each(['__proto__', 'constructor', 'prototype'])('a machine client named %s is refused, naming it', (name) => {
    // As cdk.json and -c deliver it: JSON, where "__proto__" is an own key.
    const error = errorOf(JSON.parse(`{"machineClients":{"${name}":{"role":"svc"},"reporting":{"role":"r"}},"domainPrefix":"ex-auth"}`));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(`hasuraCognito.machineClients.${name}`);
    expect(error.message).toContain('not "__proto__", "constructor" or "prototype"');
  });

  test('claims errors (the shared parser) and pool option errors are one InvalidInputError', () => {
    for (const input of [{ defaultRole: 42 }, { mfa: 'on' }]) {
      const error = errorOf(input);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.name).toBe('InvalidInputError');
    }
  });

  test('an unknown field lists every accepted field', () => {
    const message = errorOf({ colour: 'blue' }).message;
    for (const field of [...POOL_OPTION_FIELDS, 'groupRoles', 'machineClients']) expect(message).toContain(field);
  });
});

describe('splitStackConfig', () => {
  test('gives the stack name and the other fields as they are, the construct props, from an object or JSON text', () => {
    const block = { stackName: 'Auth', groupRoles: { admins: 'admin' } };
    expect(splitStackConfig(block)).toEqual({ stackName: 'Auth', auth: { groupRoles: { admins: 'admin' } } });
    expect(splitStackConfig(JSON.stringify(block))).toEqual({ stackName: 'Auth', auth: { groupRoles: { admins: 'admin' } } });
    expect(splitStackConfig(undefined)).toEqual({ stackName: DEFAULT_STACK_NAME, auth: {} });
  });

  test('validates the whole block first, naming its field', () => {
    expect(() => splitStackConfig({ groupRoles: { admins: 42 } })).toThrow(
      expect.objectContaining({ field: 'hasuraCognito.groupRoles.admins' }),
    );
  });
});
