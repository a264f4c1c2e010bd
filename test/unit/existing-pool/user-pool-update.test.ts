/**
 * The read-merge-write of an existing pool, on a complete DescribeUserPool answer: every updatable
 * setting goes back unchanged, read-only ones are dropped, only the pre token trigger changes; and
 * the refusals.
 */
import type { UpdateUserPoolCommandInput, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { ExistingPoolRefusedError } from '../../../lambda/errors';
import {
  checkClientWriteAttributes,
  checkEverySettingModeled,
  checkFeaturePlan,
  checkNoOtherPreTokenTrigger,
  checkSmsRolePassable,
  READ_ONLY_FIELDS,
  ROUND_TRIPPED_FIELDS,
  unmodeledSettings,
  updateUserPoolInput,
  withoutPreTokenTrigger,
  withPreTokenTrigger,
} from '../../../lib/existing-pool/user-pool-update';
import {
  completeUserPool,
  LAMBDA_CONFIG_WITHOUT_PRE_TOKEN,
  OTHER_TRIGGERS,
  PASSWORD_POLICY,
  POOL_ID,
  SMS_ROLE_ARN,
} from '../../fixtures/describe-user-pool';

const OURS = 'arn:aws:lambda:eu-west-1:123456789012:function:hasura-pre-token';
const OLD_OURS = 'arn:aws:lambda:eu-west-1:123456789012:function:hasura-pre-token-old';
const THEIRS = 'arn:aws:lambda:eu-west-1:123456789012:function:someone-elses';

/** The JSON Cognito would send: what the SDK parses into the fixture. */
const asJson = (pool: UserPoolType): Record<string, unknown> => JSON.parse(JSON.stringify(pool));

function refusal(fn: () => void): ExistingPoolRefusedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExistingPoolRefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('updateUserPoolInput on a complete DescribeUserPool answer', () => {
  const pool = completeUserPool();
  const lambdaConfig = withPreTokenTrigger(pool.LambdaConfig, OURS, 'V2_0');
  const input = updateUserPoolInput(pool, lambdaConfig);

  test('the fixture sets every field, and each is either read-only, sent back, or one of the three handled ones', () => {
    expect(Object.values(pool).every((v) => v !== undefined)).toBe(true);
    const classified = [...READ_ONLY_FIELDS, ...ROUND_TRIPPED_FIELDS, 'Name', 'LambdaConfig', 'DcrConfiguration'];
    expect(Object.keys(pool).sort()).toEqual([...classified].sort());
  });

  test.each(ROUND_TRIPPED_FIELDS.filter((f) => f !== 'AdminCreateUserConfig'))('%s goes back unchanged', (field) => {
    expect(input[field]).toEqual(pool[field]);
  });

  test('AdminCreateUserConfig goes back without the deprecated UnusedAccountValidityDays, which UpdateUserPool refuses', () => {
    const { UnusedAccountValidityDays: _dropped, ...rest } = pool.AdminCreateUserConfig;
    expect(input.AdminCreateUserConfig).toEqual(rest);
    expect(input.AdminCreateUserConfig).not.toHaveProperty('UnusedAccountValidityDays');
    // The password policy already has the value that counts.
    expect(input.Policies?.PasswordPolicy).toEqual(PASSWORD_POLICY);
  });

  test('a pool with only the deprecated field keeps its value as TemporaryPasswordValidityDays', () => {
    const { TemporaryPasswordValidityDays: _none, ...policy } = PASSWORD_POLICY;
    const legacy: UserPoolType = { ...pool, Policies: { ...pool.Policies, PasswordPolicy: policy } };
    legacy.AdminCreateUserConfig = { ...pool.AdminCreateUserConfig, UnusedAccountValidityDays: 11 };
    const written = updateUserPoolInput(legacy, lambdaConfig);
    expect(written.Policies?.PasswordPolicy).toEqual({ ...policy, TemporaryPasswordValidityDays: 11 });
    expect(written.Policies?.SignInPolicy).toEqual(pool.Policies.SignInPolicy);
    expect(written.AdminCreateUserConfig).not.toHaveProperty('UnusedAccountValidityDays');
  });

  test('Name becomes PoolName, the id becomes UserPoolId, and LambdaConfig is the one given', () => {
    expect(input.PoolName).toBe('existing-pool');
    expect(input.UserPoolId).toBe(POOL_ID);
    expect(input.LambdaConfig).toBe(lambdaConfig);
  });

  test('read-only fields, Name and DcrConfiguration (kept by omission) are not sent', () => {
    for (const field of [...READ_ONLY_FIELDS, 'Name', 'DcrConfiguration']) expect(input).not.toHaveProperty(field);
    const expected: (keyof UpdateUserPoolCommandInput)[] = [...ROUND_TRIPPED_FIELDS, 'UserPoolId', 'PoolName', 'LambdaConfig'];
    expect(Object.keys(input).sort()).toEqual(expected.sort());
  });

  test('a field this file does not know is still sent back: the SDK that serializes it decides', () => {
    const future = { ...pool, FutureSetting: { Enabled: true } } as UserPoolType;
    expect(updateUserPoolInput(future, lambdaConfig)).toMatchObject({ FutureSetting: { Enabled: true } });
  });

  test('the pool itself is not changed', () => {
    expect(pool).toEqual(completeUserPool());
  });
});

describe('withPreTokenTrigger / withoutPreTokenTrigger', () => {
  test('sets the versioned and the legacy field to the same ARN, and keeps every other trigger', () => {
    expect(withPreTokenTrigger(LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, OURS, 'V3_0')).toEqual({
      ...OTHER_TRIGGERS,
      PreTokenGeneration: OURS,
      PreTokenGenerationConfig: { LambdaArn: OURS, LambdaVersion: 'V3_0' },
    });
    expect(withPreTokenTrigger(undefined, OURS, 'V1_0')).toEqual({
      PreTokenGeneration: OURS,
      PreTokenGenerationConfig: { LambdaArn: OURS, LambdaVersion: 'V1_0' },
    });
  });

  test('replaces our previous ARN and version on update', () => {
    const attached = withPreTokenTrigger(LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, OLD_OURS, 'V1_0');
    expect(withPreTokenTrigger(attached, OURS, 'V2_0')).toEqual(withPreTokenTrigger(LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, OURS, 'V2_0'));
  });

  test('removes our trigger (both fields) and keeps every other one', () => {
    expect(withoutPreTokenTrigger(withPreTokenTrigger(LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, OURS, 'V2_0'), [OURS])).toEqual(OTHER_TRIGGERS);
    expect(withoutPreTokenTrigger({ PreTokenGeneration: OURS }, [OURS])).toEqual({});
  });

  test('leaves a trigger that is not ours, set by the legacy field or the versioned one', () => {
    const legacy = { ...LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, PreTokenGeneration: THEIRS };
    expect(withoutPreTokenTrigger(legacy, [OURS])).toEqual(legacy);
    const versioned = withPreTokenTrigger(LAMBDA_CONFIG_WITHOUT_PRE_TOKEN, THEIRS, 'V2_0');
    expect(withoutPreTokenTrigger(versioned, [OURS])).toEqual(versioned);
    expect(withoutPreTokenTrigger(undefined, [OURS])).toEqual({});
  });
});

describe('checkNoOtherPreTokenTrigger', () => {
  test('accepts no trigger, ours, or our previous one', () => {
    expect(() => checkNoOtherPreTokenTrigger(completeUserPool(), [OURS])).not.toThrow();
    expect(() => checkNoOtherPreTokenTrigger(completeUserPool(withPreTokenTrigger({}, OURS, 'V1_0')), [OURS])).not.toThrow();
    expect(() => checkNoOtherPreTokenTrigger(completeUserPool(withPreTokenTrigger({}, OLD_OURS, 'V1_0')), [OURS, OLD_OURS])).not.toThrow();
  });

  test.each([
    ['the versioned field', withPreTokenTrigger({}, THEIRS, 'V2_0')],
    ['the legacy field only', { PreTokenGeneration: THEIRS }],
  ])('refuses another trigger in %s, naming it', (_name, lambdaConfig) => {
    const error = refusal(() => checkNoOtherPreTokenTrigger(completeUserPool(lambdaConfig), [OURS]));
    expect(error).toMatchObject({ code: 'TriggerConflict', userPoolId: POOL_ID, found: THEIRS });
    expect(error.message).toContain(`User pool ${POOL_ID}: another pre token generation trigger is attached (${THEIRS})`);
  });
});

describe('checkFeaturePlan', () => {
  const onTier = (tier: UserPoolType['UserPoolTier'], mode: 'OFF' | 'AUDIT' = 'OFF'): UserPoolType => ({
    ...completeUserPool(),
    UserPoolTier: tier,
    UserPoolAddOns: { AdvancedSecurityMode: mode },
  });

  test.each(['V2_0', 'V3_0'] as const)('refuses %s on Lite', (version) => {
    const error = refusal(() => checkFeaturePlan(onTier('LITE'), version));
    expect(error).toMatchObject({ code: 'FeaturePlan', found: 'LITE', expected: `the Essentials or Plus feature plan for ${version}` });
    expect(error.message).toContain('use V1_0');
  });

  test('accepts V1_0 on Lite, every version on Essentials and Plus, and leaves an unreported tier to Cognito', () => {
    expect(() => checkFeaturePlan(onTier('LITE'), 'V1_0')).not.toThrow();
    for (const tier of ['ESSENTIALS', 'PLUS', undefined] as const) {
      for (const version of ['V1_0', 'V2_0', 'V3_0'] as const) expect(() => checkFeaturePlan(onTier(tier), version)).not.toThrow();
    }
  });

  test('a Lite pool that kept advanced security features may run V2_0, never V3_0', () => {
    expect(() => checkFeaturePlan(onTier('LITE', 'AUDIT'), 'V2_0')).not.toThrow();
    expect(refusal(() => checkFeaturePlan(onTier('LITE', 'AUDIT'), 'V3_0')).code).toBe('FeaturePlan');
  });
});

describe('checkClientWriteAttributes', () => {
  const CLAIMS = ['sub', 'custom:org_id', 'custom:tenant'];

  test('accepts a client whose WriteAttributes exclude every claim attribute', () => {
    expect(() => checkClientWriteAttributes(POOL_ID, { ClientId: 'c1', WriteAttributes: ['email', 'name'] }, CLAIMS)).not.toThrow();
  });

  test('refuses a client that lets users write a claim attribute, naming them', () => {
    const error = refusal(() =>
      checkClientWriteAttributes(POOL_ID, { ClientId: 'c1', WriteAttributes: ['email', 'custom:tenant', 'custom:org_id'] }, CLAIMS),
    );
    expect(error).toMatchObject({ code: 'UserWritableClaimAttribute', found: 'WriteAttributes email, custom:tenant, custom:org_id' });
    expect(error.message).toContain('app client c1 lets users write custom:org_id, custom:tenant');
  });

  test.each([
    ['no WriteAttributes list', undefined],
    ['an empty one', []],
  ])('refuses a client with %s (every attribute writable) when the claims read a user attribute', (_name, writes) => {
    const error = refusal(() => checkClientWriteAttributes(POOL_ID, { ClientId: 'c1', WriteAttributes: writes }, CLAIMS));
    expect(error).toMatchObject({ code: 'UserWritableClaimAttribute', found: 'no WriteAttributes (every attribute writable)' });
    expect(error.message).toContain('including custom:org_id, custom:tenant');
  });

  test('accepts any client when the claims read only sub, which no client can write', () => {
    expect(() => checkClientWriteAttributes(POOL_ID, { ClientId: 'c1' }, ['sub'])).not.toThrow();
    expect(() => checkClientWriteAttributes(POOL_ID, { ClientId: 'c1', WriteAttributes: ['sub', 'email'] }, ['sub'])).not.toThrow();
  });
});

describe('checkSmsRolePassable', () => {
  test('accepts a pool without SMS, or one whose SMS role was granted', () => {
    const { SmsConfiguration: _sms, ...withoutSms } = completeUserPool();
    expect(() => checkSmsRolePassable(withoutSms, [])).not.toThrow();
    expect(() => checkSmsRolePassable(completeUserPool(), [SMS_ROLE_ARN])).not.toThrow();
  });

  test('refuses a pool whose SMS role was not granted, naming the role', () => {
    const error = refusal(() => checkSmsRolePassable(completeUserPool(), []));
    expect(error).toMatchObject({
      code: 'SmsRoleNotGranted',
      expected: `iam:PassRole on ${SMS_ROLE_ARN}`,
      found: 'no smsRole',
    });
    const eums = { ...completeUserPool(), SmsConfiguration: { EumsSms: { CallerArn: SMS_ROLE_ARN } } };
    expect(refusal(() => checkSmsRolePassable(eums, ['arn:aws:iam::123456789012:role/other'])).found).toBe(
      'smsRole arn:aws:iam::123456789012:role/other',
    );
  });
});

describe('unmodeledSettings / checkEverySettingModeled', () => {
  const pool = completeUserPool();

  test('finds nothing when the SDK parsed every field of the raw answer', () => {
    expect(unmodeledSettings(asJson(pool), pool)).toEqual([]);
    expect(() => checkEverySettingModeled(asJson(pool), pool)).not.toThrow();
  });

  test('finds a written setting the SDK dropped, at any depth', () => {
    const raw = asJson(pool);
    raw.NewSetting = { Mode: 'ON' };
    (raw.SmsConfiguration as Record<string, unknown>).NewRegionOption = 'x';
    expect(unmodeledSettings(raw, pool)).toEqual(['SmsConfiguration.NewRegionOption', 'NewSetting']);
    const error = refusal(() => checkEverySettingModeled(raw, pool));
    expect(error).toMatchObject({ code: 'UnknownSetting', found: 'SmsConfiguration.NewRegionOption, NewSetting' });
  });

  test('ignores read-only fields and DcrConfiguration, which are never written, and null values', () => {
    const { SchemaAttributes: _schema, DcrConfiguration: _dcr, ...parsed } = pool;
    const raw = { ...asJson(pool), Nothing: null };
    expect(unmodeledSettings(raw, parsed)).toEqual([]);
  });
});
