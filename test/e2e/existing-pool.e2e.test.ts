/**
 * The custom resource's onEvent handler against the real cognito-local (DescribeUserPool,
 * UpdateUserPool, DescribeUserPoolClient), with CloudFormation-shaped events: attach, update to a
 * new function, delete restoring the pool, and the refusals. The pool's other settings are read back
 * after every write, so a reset would show.
 *
 * cognito-local does not model every field (see the report of the change that added this test):
 * its DescribeUserPool omits DeletionProtection, UserAttributeUpdateSettings and UserPoolTier, and
 * its UpdateUserPool ignores PoolName, DeletionProtection, UserAttributeUpdateSettings and
 * UserPoolTier. The complete round trip is unit-tested on a complete answer instead.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Child, httpReady, startChild } from '../../bin/local/child-process';
import { LOCAL_HOST, LOCAL_REGION } from '../../bin/local/local-stack';
import { choosePort } from '../../bin/local/ports';
import { EMULATOR_CREDENTIALS } from '../../hasura-config/cognito-target';
import { ExistingPoolRefusedError } from '../../lambda/errors';
import { type AttachmentEvent, type AttachmentProperties, createOnEventHandler } from '../../lib/existing-pool/handler';

jest.setTimeout(60_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ARN = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}`;
const OURS = ARN('hasura-pre-token');
const OURS_NEXT = ARN('hasura-pre-token-next');
const THEIRS = ARN('someone-elses-pre-token');
const OTHER_TRIGGERS: LambdaConfigType = { PreSignUp: ARN('pre-sign-up'), PostConfirmation: ARN('post-confirmation') };

let workDir: string;
let cognitoLocal: Child | undefined;
let cognito: CognitoIdentityProviderClient;
let cognitoEndpoint: string;
const onEvent = createOnEventHandler(() => cognito);

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-existing-pool-'));
  const port = await choosePort(LOCAL_HOST, undefined, 0);
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  cognitoEndpoint = endpoint;
  cognitoLocal = await startChild({
    name: 'cognito-local',
    args: [require.resolve('cognito-local/lib/bin/start.js')],
    cwd: workDir,
    env: { ...process.env, HOST: LOCAL_HOST, PORT: String(port), DEBUG: '' },
    ready: (child) => httpReady(`${endpoint}/health`, child),
    readyTimeoutMs: 20_000,
    removeOnOrphan: workDir,
  });
  cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
  });
});

afterAll(async () => {
  cognito?.destroy();
  await cognitoLocal?.stop();
  if (workDir !== undefined) fs.rmSync(workDir, { recursive: true, force: true });
});

/** A pool with settings that a write without them would reset, and two other triggers. */
async function createPool(lambdaConfig: LambdaConfigType = OTHER_TRIGGERS): Promise<string> {
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: `existing-${Math.random().toString(36).slice(2)}`,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'org_id', AttributeDataType: 'String', Mutable: true }],
      Policies: {
        PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false },
      },
      MfaConfiguration: 'OFF',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserPoolTags: { team: 'identity' },
      LambdaConfig: lambdaConfig,
    }),
  );
  if (UserPool?.Id === undefined) throw new Error('CreateUserPool returned no id');
  return UserPool.Id;
}

async function describe_(userPoolId: string): Promise<UserPoolType> {
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  if (UserPool === undefined) throw new Error('no pool');
  return UserPool;
}

/**
 * The settings that must survive every write: everything but the triggers and the modification
 * date. AdminCreateUserConfig.UnusedAccountValidityDays (which cognito-local reports, as Cognito
 * does for older pools) is dropped on purpose: UpdateUserPool refuses it, and the password
 * policy's TemporaryPasswordValidityDays carries its value (checked below).
 */
function settings(pool: UserPoolType): Partial<UserPoolType> {
  const { LambdaConfig: _triggers, LastModifiedDate: _modified, ...rest } = pool;
  const { UnusedAccountValidityDays: _deprecated, ...adminCreateUserConfig } = pool.AdminCreateUserConfig ?? {};
  return { ...rest, AdminCreateUserConfig: adminCreateUserConfig };
}

const properties = (userPoolId: string, extra: Partial<AttachmentProperties> = {}): AttachmentProperties => ({
  UserPoolId: userPoolId,
  FunctionArn: OURS,
  LambdaVersion: 'V2_0',
  ...extra,
});
const create = (props: AttachmentProperties): AttachmentEvent => ({ RequestType: 'Create', ResourceProperties: props });

test('create attaches our trigger, update replaces it with the new ARN and version, delete restores the pool', async () => {
  const poolId = await createPool();
  const before = await describe_(poolId);

  const created = await onEvent(create(properties(poolId)));
  expect(created.PhysicalResourceId).toBe(poolId);
  const attached = await describe_(poolId);
  expect(attached.LambdaConfig).toEqual({
    ...OTHER_TRIGGERS,
    PreTokenGeneration: OURS,
    PreTokenGenerationConfig: { LambdaArn: OURS, LambdaVersion: 'V2_0' },
  });
  expect(settings(attached)).toEqual(settings(before));
  expect(before.AdminCreateUserConfig?.UnusedAccountValidityDays).toBe(7);
  expect(attached.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBe(7);

  const updated = await onEvent({
    RequestType: 'Update',
    PhysicalResourceId: poolId,
    ResourceProperties: properties(poolId, { FunctionArn: OURS_NEXT, LambdaVersion: 'V3_0' }),
    OldResourceProperties: properties(poolId),
  });
  expect(updated.PhysicalResourceId).toBe(poolId);
  const replaced = await describe_(poolId);
  expect(replaced.LambdaConfig).toEqual({
    ...OTHER_TRIGGERS,
    PreTokenGeneration: OURS_NEXT,
    PreTokenGenerationConfig: { LambdaArn: OURS_NEXT, LambdaVersion: 'V3_0' },
  });
  expect(settings(replaced)).toEqual(settings(before));

  await onEvent({ RequestType: 'Delete', PhysicalResourceId: poolId, ResourceProperties: properties(poolId, { FunctionArn: OURS_NEXT }) });
  const restored = await describe_(poolId);
  expect(restored.LambdaConfig).toEqual(OTHER_TRIGGERS);
  expect(settings(restored)).toEqual(settings(before));
});

test('create refuses a pool with another pre token trigger, and leaves it unchanged', async () => {
  const lambdaConfig = { ...OTHER_TRIGGERS, PreTokenGenerationConfig: { LambdaArn: THEIRS, LambdaVersion: 'V1_0' as const } };
  const poolId = await createPool(lambdaConfig);
  const before = await describe_(poolId);
  const refused = onEvent(create(properties(poolId)));
  await expect(refused).rejects.toBeInstanceOf(ExistingPoolRefusedError);
  await expect(refused).rejects.toMatchObject({ code: 'TriggerConflict', found: THEIRS });
  expect(await describe_(poolId)).toEqual(before);
});

test('an update to another pool attaches there; the old pool is detached by the Delete CloudFormation sends after it', async () => {
  const oldPool = await createPool();
  const newPool = await createPool();
  await onEvent(create(properties(oldPool)));
  const replaced = await onEvent({
    RequestType: 'Update',
    PhysicalResourceId: oldPool,
    ResourceProperties: properties(newPool),
    OldResourceProperties: properties(oldPool),
  });
  expect(replaced.PhysicalResourceId).toBe(newPool);
  expect((await describe_(newPool)).LambdaConfig?.PreTokenGenerationConfig?.LambdaArn).toBe(OURS);
  await onEvent({ RequestType: 'Delete', PhysicalResourceId: oldPool, ResourceProperties: properties(oldPool) });
  expect((await describe_(oldPool)).LambdaConfig).toEqual(OTHER_TRIGGERS);
  expect((await describe_(newPool)).LambdaConfig?.PreTokenGenerationConfig?.LambdaArn).toBe(OURS);
});

test('delete leaves a trigger that somebody else attached since, and a pool that is gone', async () => {
  const poolId = await createPool();
  await onEvent(create(properties(poolId)));
  const pool = await describe_(poolId);
  // Somebody replaces our trigger by hand after the deploy.
  await cognito.send(
    new UpdateUserPoolCommand({
      UserPoolId: poolId,
      Policies: pool.Policies,
      AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
      AdminCreateUserConfig: pool.AdminCreateUserConfig,
      AccountRecoverySetting: pool.AccountRecoverySetting,
      UserPoolTags: pool.UserPoolTags,
      MfaConfiguration: pool.MfaConfiguration,
      LambdaConfig: { ...OTHER_TRIGGERS, PreTokenGenerationConfig: { LambdaArn: THEIRS, LambdaVersion: 'V1_0' } },
    }),
  );
  const theirs = await describe_(poolId);
  await onEvent({ RequestType: 'Delete', PhysicalResourceId: poolId, ResourceProperties: properties(poolId) });
  expect(await describe_(poolId)).toEqual(theirs);

  const gone = 'local_Gone0000';
  await expect(onEvent({ RequestType: 'Delete', PhysicalResourceId: gone, ResourceProperties: properties(gone) })).resolves.toEqual({
    PhysicalResourceId: gone,
  });
});

describe('the app client Hasura accepts', () => {
  const CLAIMS = ['sub', 'custom:org_id'];

  async function client(userPoolId: string, writeAttributes: string[] | undefined): Promise<string> {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'app',
        ...(writeAttributes ? { WriteAttributes: writeAttributes } : {}),
      }),
    );
    if (UserPoolClient?.ClientId === undefined) throw new Error('no client id');
    return UserPoolClient.ClientId;
  }

  test('a client whose WriteAttributes exclude the claim attributes is accepted', async () => {
    const poolId = await createPool();
    const clientId = await client(poolId, ['email', 'name']);
    await onEvent(create(properties(poolId, { UserPoolClientId: clientId, ClaimAttributes: CLAIMS })));
    expect((await describe_(poolId)).LambdaConfig?.PreTokenGenerationConfig?.LambdaArn).toBe(OURS);
  });

  test.each([
    ['lets users write custom:org_id', ['email', 'custom:org_id'], 'WriteAttributes email, custom:org_id'],
    ['has no WriteAttributes list (every attribute writable)', undefined, 'no WriteAttributes (every attribute writable)'],
  ])('a client that %s is refused and the pool left unchanged', async (_name, writes, found) => {
    const poolId = await createPool();
    const clientId = await client(poolId, writes);
    const before = await describe_(poolId);
    const refused = onEvent(create(properties(poolId, { UserPoolClientId: clientId, ClaimAttributes: CLAIMS })));
    await expect(refused).rejects.toMatchObject({ name: 'ExistingPoolRefusedError', code: 'UserWritableClaimAttribute', found });
    expect(await describe_(poolId)).toEqual(before);
  });
});

test('a pool with a setting the SDK does not model is refused before any write (the raw answer is read)', async () => {
  // cognito-local answers only fields the SDK knows; this one-route server answers DescribeUserPool as
  // Cognito would once it has a setting newer than the SDK, and fails the test on any other call.
  const poolId = await createPool();
  // cognito-local's own raw answer, as the wire carries it (dates as epoch seconds).
  const raw = await fetch(cognitoEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPool' },
    body: JSON.stringify({ UserPoolId: poolId }),
  });
  const described = (await raw.json()) as { UserPool: Record<string, unknown> };
  described.UserPool.FutureSetting = { Mode: 'ON' };
  const targets: string[] = [];
  const server = http.createServer((request, response) => {
    targets.push(String(request.headers['x-amz-target']));
    request.resume();
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.end(JSON.stringify(described));
  });
  await new Promise<void>((resolve) => server.listen(0, LOCAL_HOST, resolve));
  const { port } = server.address() as { port: number };
  const client = new CognitoIdentityProviderClient({
    endpoint: `http://${LOCAL_HOST}:${port}`,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
  });
  try {
    const refused = createOnEventHandler(() => client)(create(properties(poolId)));
    await expect(refused).rejects.toMatchObject({ name: 'ExistingPoolRefusedError', code: 'UnknownSetting', found: 'FutureSetting' });
    expect(targets).toEqual(['AWSCognitoIdentityProviderService.DescribeUserPool']);
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
