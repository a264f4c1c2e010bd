/**
 * The construct's API as a library user writes it: every field of the `hasuraCognito` block as a
 * prop (same validation and messages as cdk synth), the secret as a property, a pool or app client
 * of the caller's own stack, and the optional SSM parameter.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildHasuraCognitoApp } from '../../../bin/app';
import { InvalidInputError } from '../../../lambda/errors';
import { AUTH_PROPS_SOURCE, HasuraCognitoAuth, type HasuraCognitoAuthProps } from '../../../lib/hasura-cognito-auth';
import { AUTH_CONFIG_FIELDS, NEW_CLIENT_FIELDS, NEW_POOL_FIELDS, STACK_CONFIG_CONTEXT_KEY } from '../../../lib/stack-config';
import { featureFlags, onlyResource, resourcesOfType } from './helpers';

/** A stack of a fresh app with cdk.json's feature flags and no bundling, as a consumer's stack would be. */
function newStack(): Stack {
  return new Stack(new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [] } }), 'Consumer');
}

function thrown(build: () => unknown): InvalidInputError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected construction to throw');
}

describe('every hasuraCognito field is a prop, validated the same way', () => {
  const BAD: [string, Record<string, unknown>][] = [
    ['a namespace that is a user attribute', { namespace: 'name' }],
    ['a group mapped to a role that is not a string', { groupRoles: { admins: 42 } }],
    ['a password length out of range', { passwordMinLength: 6 }],
    ['an undeclared custom attribute', { sessionVariables: { 'x-hasura-org-id': 'custom:org_id' } }],
    ['Lite with access tokens', { tokenUse: 'access', featurePlan: 'lite' }],
    ['an SSM name SSM refuses', { jwtSecretParameterName: '/aws/hasura' }],
  ];

  test.each(BAD)('%s: the construct throws the message cdk synth prints, naming the prop', (_, fields) => {
    const fromProps = thrown(() => new HasuraCognitoAuth(newStack(), 'Auth', fields as HasuraCognitoAuthProps));
    const fromCdkJson = thrown(() => buildHasuraCognitoApp(new App({ context: { [STACK_CONFIG_CONTEXT_KEY]: fields } })));
    expect(fromProps.field.startsWith(`${AUTH_PROPS_SOURCE}`)).toBe(true);
    expect(fromProps.message).toBe(fromCdkJson.message.replace(STACK_CONFIG_CONTEXT_KEY, AUTH_PROPS_SOURCE));
  });

  test('the props are the block without stackName, which names the stack, not the construct; an unknown prop lists them', () => {
    expect(AUTH_CONFIG_FIELDS).not.toContain('stackName');
    const error = thrown(() => new HasuraCognitoAuth(newStack(), 'Auth', { stackName: 'X' } as HasuraCognitoAuthProps));
    expect(error.field).toBe(`${AUTH_PROPS_SOURCE}.stackName`);
    expect(error.expected).toBe(`one of ${AUTH_CONFIG_FIELDS.join(', ')}`);
  });
});

describe('a new pool, from props alone', () => {
  const stack = newStack();
  const auth = new HasuraCognitoAuth(stack, 'Auth', { groupRoles: { admins: 'admin' }, jwtSecretParameterName: '/hasura/jwt-secret' });
  const template = Template.fromStack(stack);

  test('hasuraJwtSecret is a property: the JSON Hasura reads, with the pool and client as CDK tokens', () => {
    const secret = stack.resolve(auth.hasuraJwtSecret);
    const joined = JSON.stringify(secret);
    expect(joined).toContain('cognito-idp.');
    expect(joined).toContain(stack.getLogicalId(auth.userPool.node.defaultChild as cognito.CfnUserPool));
    expect(joined).toContain('claims_namespace');
  });

  test('the SSM parameter holds the secret under the name given', () => {
    const [, parameter] = onlyResource(template, 'AWS::SSM::Parameter');
    expect(parameter.Properties).toMatchObject({ Name: '/hasura/jwt-secret', Type: 'String', Tier: 'Standard' });
    expect(parameter.Properties?.Value).toEqual(stack.resolve(auth.hasuraJwtSecret));
    expect(auth.jwtSecretParameter).toBeDefined();
  });

  test('the groups and the trigger are on the new pool', () => {
    expect(resourcesOfType(template, 'AWS::Cognito::UserPool')).toHaveLength(1);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
  });
});

describe('a pool of the same stack', () => {
  function consumerPool(props: cognito.UserPoolProps = {}) {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS, ...props });
    return { stack, userPool };
  }

  test('gets the trigger, the groups and a client; no second pool is created', () => {
    const { stack, userPool } = consumerPool();
    const auth = new HasuraCognitoAuth(stack, 'Auth', { userPool, groupRoles: { admins: 'admin' }, tokenUse: 'access' });
    const template = Template.fromStack(stack);
    const [poolId, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
    expect(auth.userPool).toBe(userPool);
    expect(pool.Properties?.LambdaConfig).toEqual({
      PreTokenGenerationConfig: {
        LambdaArn: { 'Fn::GetAtt': [stack.getLogicalId(auth.preTokenGenerationFunction.node.defaultChild as never), 'Arn'] },
        LambdaVersion: 'V2_0',
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: { Ref: poolId } });
    const [, client] = onlyResource(template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties?.UserPoolId).toEqual({ Ref: poolId });
    // The pool's own settings are untouched: no deletion protection or password policy of ours.
    expect(pool.Properties?.Policies).toBeUndefined();
  });

  test.each(NEW_POOL_FIELDS.map((field) => [field]))('refuses %s, which only shapes a new pool', (field) => {
    const values: Record<string, unknown> = {
      featurePlan: 'plus',
      selfSignUp: true,
      passwordMinLength: 14,
      mfa: 'required',
      removalPolicy: 'destroy',
      customAttributes: ['custom:a'],
      domainPrefix: 'example-auth',
    };
    const value = values[field];
    const { stack, userPool } = consumerPool();
    const error = thrown(() => new HasuraCognitoAuth(stack, 'Auth', { userPool, [field]: value }));
    expect(error.field).toBe(`${AUTH_PROPS_SOURCE}.${field}`);
    expect(error.expected).toMatch(/with an existing userPool/);
  });

  test('refuses userPoolProps, a pool of another stack, a pool with a trigger, and Lite with access tokens', () => {
    const { stack, userPool } = consumerPool();
    expect(thrown(() => new HasuraCognitoAuth(stack, 'A', { userPool, userPoolProps: { selfSignUpEnabled: true } })).field).toBe(
      `${AUTH_PROPS_SOURCE}.userPoolProps`,
    );
    const other = new Stack(stack.node.root as App, 'Other');
    expect(thrown(() => new HasuraCognitoAuth(other, 'A', { userPool })).expected).toMatch(/of the stack Other/);

    const withTrigger = consumerPool();
    withTrigger.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION,
      new HasuraCognitoAuth(newStack(), 'X').preTokenGenerationFunction,
    );
    expect(thrown(() => new HasuraCognitoAuth(withTrigger.stack, 'A', { userPool: withTrigger.userPool })).found).toBe(
      'a pool with preTokenGeneration set',
    );

    const lite = consumerPool({ featurePlan: cognito.FeaturePlan.LITE });
    expect(thrown(() => new HasuraCognitoAuth(lite.stack, 'A', { userPool: lite.userPool, tokenUse: 'access' })).found).toBe(
      'a pool with featurePlan LITE',
    );
    // V1_0 (ID tokens) runs on Lite.
    expect(() => new HasuraCognitoAuth(lite.stack, 'B', { userPool: lite.userPool, tokenUse: 'id' })).not.toThrow();
  });

  test('custom attributes the claims read are the pool owner’s: not declared in customAttributes', () => {
    const { stack, userPool } = consumerPool({ customAttributes: { org_id: new cognito.StringAttribute({ mutable: true }) } });
    expect(
      () => new HasuraCognitoAuth(stack, 'Auth', { userPool, sessionVariables: { 'x-hasura-org-id': 'custom:org_id' } }),
    ).not.toThrow();
  });
});

describe('an app client of the same stack', () => {
  const CLAIMS = { sessionVariables: { 'x-hasura-org-id': 'custom:org_id' } };
  function consumerClient(writeAttributes?: cognito.ClientAttributes) {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Users', { customAttributes: { org_id: new cognito.StringAttribute({ mutable: true }) } });
    const userPoolClient = userPool.addClient('Web', writeAttributes === undefined ? {} : { writeAttributes });
    return { stack, userPool, userPoolClient };
  }

  test('is the audience, and no client is created', () => {
    const { stack, userPool, userPoolClient } = consumerClient(new cognito.ClientAttributes().withStandardAttributes({ nickname: true }));
    const auth = new HasuraCognitoAuth(stack, 'Auth', { userPool, userPoolClient, ...CLAIMS });
    expect(auth.userPoolClient).toBe(userPoolClient);
    expect(resourcesOfType(Template.fromStack(stack), 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
    expect(stack.resolve(auth.clientIds)).toEqual([stack.resolve(userPoolClient.userPoolClientId)]);
  });

  test('that lets users write an attribute the claims read is refused: users could give themselves session variables', () => {
    const writable = consumerClient(new cognito.ClientAttributes().withCustomAttributes('org_id'));
    const { userPool, userPoolClient } = writable;
    expect(thrown(() => new HasuraCognitoAuth(writable.stack, 'Auth', { userPool, userPoolClient, ...CLAIMS })).found).toBe(
      'writable custom:org_id',
    );
    const all = consumerClient();
    expect(
      thrown(() => new HasuraCognitoAuth(all.stack, 'Auth', { userPool: all.userPool, userPoolClient: all.userPoolClient, ...CLAIMS }))
        .found,
    ).toMatch(/^a client with no writeAttributes \(all writable\)/);
    // With claims that read only `sub` (never writable), Cognito's default is harmless.
    const plain = consumerClient();
    expect(
      () => new HasuraCognitoAuth(plain.stack, 'Auth', { userPool: plain.userPool, userPoolClient: plain.userPoolClient }),
    ).not.toThrow();
  });

  test.each(NEW_CLIENT_FIELDS.map((field) => [field]))('refuses %s, which only shapes a new client', (field) => {
    const values: Record<string, unknown> = {
      passwordAuth: true,
      callbackUrls: ['https://app.example.com/cb'],
      logoutUrls: ['https://app.example.com/'],
      userWritableAttributes: ['nickname'],
      accessTokenValidityMinutes: 30,
      idTokenValidityMinutes: 30,
      refreshTokenValidityDays: 7,
    };
    const value = values[field];
    const { stack, userPool, userPoolClient } = consumerClient(new cognito.ClientAttributes());
    expect(thrown(() => new HasuraCognitoAuth(stack, 'Auth', { userPool, userPoolClient, [field]: value })).field).toBe(
      `${AUTH_PROPS_SOURCE}.${field}`,
    );
  });

  test('refuses clientProps, a client without its pool, and a client of another pool', () => {
    const { stack, userPool, userPoolClient } = consumerClient(new cognito.ClientAttributes());
    expect(thrown(() => new HasuraCognitoAuth(stack, 'A', { userPool, userPoolClient, clientProps: { generateSecret: true } })).field).toBe(
      `${AUTH_PROPS_SOURCE}.clientProps`,
    );
    expect(thrown(() => new HasuraCognitoAuth(stack, 'B', { userPoolClient })).field).toBe(`${AUTH_PROPS_SOURCE}.userPool`);
    const otherPool = new cognito.UserPool(stack, 'Other');
    expect(thrown(() => new HasuraCognitoAuth(stack, 'C', { userPool: otherPool, userPoolClient })).found).toBe('a client of another pool');
  });
});

test('the M2M access token validity still applies to machine clients with an existing client', () => {
  const stack = newStack();
  const userPool = new cognito.UserPool(stack, 'Users');
  const userPoolClient = userPool.addClient('Web', { writeAttributes: new cognito.ClientAttributes() });
  new HasuraCognitoAuth(stack, 'Auth', {
    userPool,
    userPoolClient,
    machineClients: { reporting: { role: 'reporter' } },
    accessTokenValidityMinutes: 15,
  });
  Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
    ClientName: 'reporting',
    AccessTokenValidity: 15,
    AllowedOAuthFlows: Match.arrayWith(['client_credentials']),
  });
});

describe('an imported pool', () => {
  const ENV = { account: '123456789012', region: 'eu-west-1' };
  const POOL_ID = 'eu-west-1_AbCdEf123';
  function importedPool(region = ENV.region) {
    const stack = new Stack(new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [] } }), 'Consumer', { env: ENV });
    const userPool = cognito.UserPool.fromUserPoolArn(stack, 'Users', `arn:aws:cognito-idp:${region}:${ENV.account}:userpool/${POOL_ID}`);
    return { stack, userPool };
  }

  test('gets the groups and a client in the template, and the trigger through the attachment custom resource', () => {
    const { stack, userPool } = importedPool();
    const auth = new HasuraCognitoAuth(stack, 'Auth', { userPool, groupRoles: { admins: 'admin' }, tokenUse: 'access' });
    const template = Template.fromStack(stack);
    expect(resourcesOfType(template, 'AWS::Cognito::UserPool')).toEqual([]);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: POOL_ID });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { UserPoolId: POOL_ID });
    const [, attachment] = onlyResource(template, 'Custom::HasuraCognitoPreTokenTrigger');
    expect(attachment.Properties).toMatchObject({
      UserPoolId: POOL_ID,
      FunctionArn: { 'Fn::GetAtt': [stack.getLogicalId(auth.preTokenGenerationFunction.node.defaultChild as never), 'Arn'] },
      LambdaVersion: 'V2_0',
    });
    // A client created here is checked at synth: the attachment need not describe it.
    expect(attachment.Properties?.UserPoolClientId).toBeUndefined();
    expect(auth.poolTriggerAttachment).toBeDefined();
    expect(JSON.stringify(stack.resolve(auth.hasuraJwtSecret))).toContain(`https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`);
  });

  test('an imported app client is the audience, and the attachment checks its WriteAttributes at deploy', () => {
    const { stack, userPool } = importedPool();
    const userPoolClient = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', '1example23456789abcdefghij');
    const auth = new HasuraCognitoAuth(stack, 'Auth', {
      userPool,
      userPoolClient,
      sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
    });
    const template = Template.fromStack(stack);
    expect(resourcesOfType(template, 'AWS::Cognito::UserPoolClient')).toEqual([]);
    expect(onlyResource(template, 'Custom::HasuraCognitoPreTokenTrigger')[1].Properties).toMatchObject({
      UserPoolClientId: '1example23456789abcdefghij',
      ClaimAttributes: ['sub', 'custom:org_id'],
    });
    expect(auth.clientIds).toEqual(['1example23456789abcdefghij']);
  });

  test('refuses a pool of another region, an imported client on a pool of this stack, and smsRole without an imported pool', () => {
    const elsewhere = importedPool('us-east-1');
    expect(thrown(() => new HasuraCognitoAuth(elsewhere.stack, 'Auth', { userPool: elsewhere.userPool })).found).toBe(
      'a pool in us-east-1',
    );

    const stack = newStack();
    const ownPool = new cognito.UserPool(stack, 'Users');
    const imported = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', '1example23456789abcdefghij');
    expect(thrown(() => new HasuraCognitoAuth(stack, 'A', { userPool: ownPool, userPoolClient: imported })).found).toBe(
      'an imported client',
    );
    const smsRole = iam.Role.fromRoleArn(stack, 'Sms', 'arn:aws:iam::123456789012:role/sms');
    expect(thrown(() => new HasuraCognitoAuth(stack, 'B', { userPool: ownPool, smsRole })).field).toBe(`${AUTH_PROPS_SOURCE}.smsRole`);
    expect(thrown(() => new HasuraCognitoAuth(stack, 'C', { smsRole })).field).toBe(`${AUTH_PROPS_SOURCE}.smsRole`);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    const { stack, userPool } = importedPool();
    const userPoolClient = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Web', '1example23456789abcdefghij');
    new HasuraCognitoAuth(stack, 'Auth', { userPool, userPoolClient, groupRoles: { admins: 'admin' } });
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations).toEqual([]);
  });
});
