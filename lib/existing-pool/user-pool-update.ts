/**
 * Read-merge-write of an existing user pool, as pure functions: what UpdateUserPool must be sent so
 * that only the pre token generation trigger changes, and the checks that refuse the change.
 *
 * UpdateUserPool resets every setting it is not given to its default ("Updating user pool and app
 * client configuration", Amazon Cognito Developer Guide), so the request is the DescribeUserPool
 * answer itself: every field of it is sent back, except the ones UpdateUserPool does not take.
 * Copying by exclusion rather than by a list of known fields means a setting that the SDK in the
 * Lambda runtime knows and this file does not is still carried over; `unmodeledFields` refuses a
 * pool with a setting that SDK does not know at all (it would be reset).
 *
 * SDK types only: no client here, so the tests run these on complete DescribeUserPool answers.
 */
import type {
  AdminCreateUserConfigType,
  LambdaConfigType,
  PreTokenGenerationLambdaVersionType,
  UpdateUserPoolCommandInput,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ExistingPoolRefusedError, InvalidInputError } from '../../lambda/errors';

/**
 * Fields of DescribeUserPool's UserPoolType that UpdateUserPool does not take: fixed at creation
 * (the schema, sign-in aliases, username case sensitivity), or kept by Cognito (ids, dates, status,
 * counts, domains, delivery failures).
 */
export const READ_ONLY_FIELDS = [
  'Id',
  'Arn',
  'Status',
  'CreationDate',
  'LastModifiedDate',
  'SchemaAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'UsernameConfiguration',
  'EstimatedNumberOfUsers',
  'Domain',
  'CustomDomain',
  'SmsConfigurationFailure',
  'EmailConfigurationFailure',
] as const satisfies readonly (keyof UserPoolType)[];

/**
 * Fields sent back unchanged under the same name. Every updatable field but PoolName (DescribeUserPool's
 * `Name`), LambdaConfig (the one change) and DcrConfiguration: UpdateUserPool keeps the dynamic client
 * registration configuration when the field is omitted, and replaces it (omitted members reverting
 * to defaults, an omitted EnableStatus turning registration on) when it is given.
 */
export const ROUND_TRIPPED_FIELDS = [
  'Policies',
  'DeletionProtection',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'AccountRecoverySetting',
  'UserPoolTier',
  'KeyConfiguration',
  'IssuerConfiguration',
  'AcrConfiguration',
] as const satisfies readonly (keyof UserPoolType & keyof UpdateUserPoolCommandInput)[];

/** DescribeUserPool fields that are not copied as they are: renamed, replaced or deliberately omitted. */
const HANDLED_FIELDS = ['Name', 'LambdaConfig', 'DcrConfiguration'] as const satisfies readonly (keyof UserPoolType)[];

// A new SDK field fails the type check here until it is classified above: read-only, or sent back.
type Classified = (typeof READ_ONLY_FIELDS)[number] | (typeof ROUND_TRIPPED_FIELDS)[number] | (typeof HANDLED_FIELDS)[number];
type UnclassifiedDescribed = Exclude<keyof UserPoolType, Classified>;
type UnclassifiedUpdatable = Exclude<keyof UpdateUserPoolCommandInput, Classified | 'UserPoolId' | 'PoolName'>;
const everyFieldClassified: [UnclassifiedDescribed | UnclassifiedUpdatable] extends [never] ? true : UnclassifiedDescribed = true;
void everyFieldClassified;

export type PreTokenLambdaVersion = PreTokenGenerationLambdaVersionType;

/**
 * The UpdateUserPool request that writes `pool` back with `lambdaConfig` as its triggers: every
 * updatable setting as described, read-only ones dropped.
 */
export function updateUserPoolInput(pool: UserPoolType, lambdaConfig: LambdaConfigType): UpdateUserPoolCommandInput {
  if (pool.Id === undefined || pool.Id === '') throw new InvalidInputError('DescribeUserPool UserPool.Id', 'a user pool id', 'none');
  const input: Record<string, unknown> = { ...pool };
  for (const field of [...READ_ONLY_FIELDS, ...HANDLED_FIELDS]) delete input[field];
  const adminCreateUserConfig = withoutUnusedAccountValidityDays(pool);
  if (adminCreateUserConfig !== undefined) input.AdminCreateUserConfig = adminCreateUserConfig;
  const policies = withTemporaryPasswordValidity(pool);
  if (policies !== undefined) input.Policies = policies;
  return {
    ...input,
    UserPoolId: pool.Id,
    ...(pool.Name !== undefined ? { PoolName: pool.Name } : {}),
    LambdaConfig: lambdaConfig,
  };
}

/**
 * AdminCreateUserConfig without UnusedAccountValidityDays: DescribeUserPool may report it, and
 * UpdateUserPool refuses it ("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of
 * UnusedAccountValidityDays", aws/aws-sdk-js#3817). Its value lives on in the password policy.
 */
function withoutUnusedAccountValidityDays(pool: UserPoolType): AdminCreateUserConfigType | undefined {
  if (pool.AdminCreateUserConfig?.UnusedAccountValidityDays === undefined) return undefined;
  const { UnusedAccountValidityDays: _deprecated, ...rest } = pool.AdminCreateUserConfig;
  return rest;
}

/** A pool that only has the deprecated field keeps its value as TemporaryPasswordValidityDays, instead of the default 7. */
function withTemporaryPasswordValidity(pool: UserPoolType): UserPoolType['Policies'] {
  const legacyDays = pool.AdminCreateUserConfig?.UnusedAccountValidityDays;
  if (legacyDays === undefined || pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined) return undefined;
  return { ...pool.Policies, PasswordPolicy: { ...pool.Policies?.PasswordPolicy, TemporaryPasswordValidityDays: legacyDays } };
}

/** The ARN of the pre token generation trigger, from the versioned field or the legacy one. */
export function preTokenTriggerArn(config: LambdaConfigType | undefined): string | undefined {
  return config?.PreTokenGenerationConfig?.LambdaArn ?? config?.PreTokenGeneration;
}

/**
 * `current` with `functionArn` as the pre token generation trigger of `version`. The legacy
 * `PreTokenGeneration` field must equal `PreTokenGenerationConfig.LambdaArn` when both are set, so
 * both are set; every other trigger (and the custom sender KMS key) is kept as it is.
 */
export function withPreTokenTrigger(
  current: LambdaConfigType | undefined,
  functionArn: string,
  version: PreTokenLambdaVersion,
): LambdaConfigType {
  return { ...current, PreTokenGeneration: functionArn, PreTokenGenerationConfig: { LambdaArn: functionArn, LambdaVersion: version } };
}

/**
 * `current` without a pre token generation trigger if it is one of `ours`; unchanged otherwise, so
 * a trigger that someone else attached since is never removed.
 */
export function withoutPreTokenTrigger(current: LambdaConfigType | undefined, ours: readonly string[]): LambdaConfigType {
  const attached = preTokenTriggerArn(current);
  if (attached === undefined || !ours.includes(attached)) return { ...current };
  const { PreTokenGeneration: _legacy, PreTokenGenerationConfig: _versioned, ...others } = current ?? {};
  return others;
}

/**
 * Refuses when the pool's pre token generation trigger is neither `ours` nor absent: attaching
 * would silently replace someone else's claims. `ours` holds this resource's function ARN and, on
 * an update of the same pool, the ARN it attached before.
 */
export function checkNoOtherPreTokenTrigger(pool: UserPoolType, ours: readonly string[]): void {
  const attached = preTokenTriggerArn(pool.LambdaConfig);
  if (attached === undefined || ours.includes(attached)) return;
  throw new ExistingPoolRefusedError(
    'TriggerConflict',
    poolId(pool),
    `another pre token generation trigger is attached (${attached}); detach it first, this deploy does not replace it`,
    `no pre token generation trigger, or ${ours.join(' or ')}`,
    attached,
  );
}

/**
 * Refuses a version the pool's feature plan cannot run. V1_0 runs on every plan; V3_0 needs
 * Essentials or Plus; V2_0 too, except on a Lite pool that still has advanced security features
 * on: such pools kept versions one and two when feature plans came (Cognito Developer Guide, "Pre
 * token generation Lambda trigger"), and a Lite pool created since cannot turn them on. A pool
 * whose tier is not reported (an emulator) is left to UpdateUserPool to judge.
 */
export function checkFeaturePlan(pool: UserPoolType, version: PreTokenLambdaVersion): void {
  if (pool.UserPoolTier !== 'LITE' || version === 'V1_0') return;
  const legacyAdvancedSecurity = (pool.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF') !== 'OFF';
  if (version === 'V2_0' && legacyAdvancedSecurity) return;
  throw new ExistingPoolRefusedError(
    'FeaturePlan',
    poolId(pool),
    `the Lite feature plan cannot run pre token generation ${version} events; move the pool to Essentials or Plus, or use V1_0 (ID token claims only)`,
    `the Essentials or Plus feature plan for ${version}`,
    'LITE',
  );
}

/** Attributes no app client can ever write: `sub` is immutable. */
export const NEVER_WRITABLE_ATTRIBUTES: readonly string[] = ['sub'];

/**
 * Refuses an app client through which users could write an attribute the claims read: they could
 * grant themselves session variables or take another user id. A client without a WriteAttributes
 * list (or with an empty one) lets users write every attribute (aws/aws-cdk#30608,
 * hashicorp/terraform-provider-aws#28684), so it is refused as soon as the claims read any
 * attribute other than `sub`.
 */
export function checkClientWriteAttributes(userPoolId: string, client: UserPoolClientType, claimAttributes: readonly string[]): void {
  const readable = claimAttributes.filter((a) => !NEVER_WRITABLE_ATTRIBUTES.includes(a));
  const writes = client.WriteAttributes ?? [];
  const writable = writes.length === 0 ? readable : readable.filter((a) => writes.includes(a));
  if (writable.length === 0) return;
  const clientId = client.ClientId ?? 'the app client';
  throw new ExistingPoolRefusedError(
    'UserWritableClaimAttribute',
    userPoolId,
    writes.length === 0
      ? `app client ${clientId} has no WriteAttributes list, so users can write every attribute, including ${writable.join(', ')} that the Hasura claims read; give the client a WriteAttributes list without them`
      : `app client ${clientId} lets users write ${writable.join(', ')}, which the Hasura claims read; remove them from its WriteAttributes`,
    `an app client whose WriteAttributes exclude ${readable.join(', ')}`,
    writes.length === 0 ? 'no WriteAttributes (every attribute writable)' : `WriteAttributes ${writes.join(', ')}`,
  );
}

/**
 * Refuses a pool that sends SMS through an IAM role this resource may not pass: UpdateUserPool with
 * the pool's SmsConfiguration passes that role to Cognito again, which needs iam:PassRole on it
 * (the AWS::Cognito::UserPool update handler holds iam:PassRole for it). Checked before the write
 * so the deploy fails with this message rather than an AccessDenied.
 */
export function checkSmsRolePassable(pool: UserPoolType, passableRoleArns: readonly string[]): void {
  const roles = [...new Set([pool.SmsConfiguration?.SnsCallerArn, pool.SmsConfiguration?.EumsSms?.CallerArn])].filter(
    (r) => r !== undefined,
  );
  const missing = roles.filter((role) => !passableRoleArns.includes(role));
  if (missing.length === 0) return;
  throw new ExistingPoolRefusedError(
    'SmsRoleNotGranted',
    poolId(pool),
    `the pool sends SMS through ${missing.join(', ')}, which writing the pool back passes to Cognito again; give that role as the construct's smsRole`,
    `iam:PassRole on ${missing.join(', ')}`,
    passableRoleArns.length === 0 ? 'no smsRole' : `smsRole ${passableRoleArns.join(', ')}`,
  );
}

/**
 * The settings in DescribeUserPool's raw answer (`UserPool`, as JSON) that the SDK's parsed answer
 * lacks: settings the SDK in use does not model. Writing such a pool back through that SDK would
 * drop them, and UpdateUserPool would reset them to their defaults. Read-only fields and
 * DcrConfiguration (kept by omission) are not written, so they do not count.
 */
export function unmodeledSettings(rawPool: unknown, parsedPool: UserPoolType): string[] {
  if (!isObject(rawPool)) return [];
  const notWritten: readonly string[] = [...READ_ONLY_FIELDS, 'DcrConfiguration'];
  const written = Object.fromEntries(Object.entries(rawPool).filter(([key]) => !notWritten.includes(key)));
  return missingPaths(written, parsedPool, '');
}

/** Refuses a pool with settings the SDK in use would drop (see `unmodeledSettings`). */
export function checkEverySettingModeled(rawPool: unknown, parsedPool: UserPoolType): void {
  const missing = unmodeledSettings(rawPool, parsedPool);
  if (missing.length === 0) return;
  throw new ExistingPoolRefusedError(
    'UnknownSetting',
    poolId(parsedPool),
    `Cognito reports settings that the AWS SDK in this Lambda runtime does not know (${missing.join(', ')}); writing the pool back would reset them, so it was not changed`,
    'every setting of the pool known to the AWS SDK that writes it back',
    missing.join(', '),
  );
}

function missingPaths(raw: Record<string, unknown>, parsed: unknown, at: string): string[] {
  if (!isObject(parsed)) return [];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const path = at === '' ? key : `${at}.${key}`;
    if (!Object.hasOwn(parsed, key)) missing.push(path);
    else if (isObject(value)) missing.push(...missingPaths(value, parsed[key], path));
  }
  return missing;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function poolId(pool: UserPoolType): string {
  return pool.Id ?? 'unknown';
}
