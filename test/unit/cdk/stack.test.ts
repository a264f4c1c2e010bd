import { Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CLAIMS_CONFIG_ENV,
  CLAIMS_CONFIG_FIELDS,
  parseClaimsConfig,
  parseClaimsConfigJson,
  serializeClaimsConfig,
} from '../../../lambda/claims-config';
import { buildHasuraJwtSecret } from '../../../lib/hasura-jwt-secret';
import { LAMBDA_NODE_MAJOR } from '../../../lib/lambda-bundling';
import { parseStackConfig } from '../../../lib/stack-config';
import { STACK_OUTPUTS } from '../../../lib/stack-outputs';
import { buildStack, CDK_JSON, evaluate, newStack, onlyResource, resourcesOfType, sharedStack, type TemplateResource } from './helpers';

const EXAMPLE = CDK_JSON.context.hasuraCognito as Record<string, unknown>;
const REQUIRED_OUTPUTS = ['UserPoolId', 'UserPoolClientId', 'Region', 'Issuer', 'JwksUrl', 'HasuraJwtSecret', 'GroupRoles', 'TokenUse'];

/** Machine clients plus managed login: the largest shape of the stack. */
const M2M_AND_OAUTH = {
  customAttributes: ['custom:org_id'],
  groupRoles: { admins: 'admin' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
  machineClients: {
    reporting: { role: 'reporter', sessionVariables: { 'x-hasura-org-id': '42' } },
    billing: { role: 'billing' },
  },
  domainPrefix: 'example-hasura-auth',
  callbackUrls: ['https://app.example.com/callback', 'http://localhost:3000/callback'],
  logoutUrls: ['https://app.example.com/'],
};

const REGION = 'eu-west-1';
const POOL_ID = 'eu-west-1_AbCdEf123';

function userPool(template: Template): [string, TemplateResource] {
  return onlyResource(template, 'AWS::Cognito::UserPool');
}

/** The public (user) client: the one without a secret. */
function userClient(template: Template): [string, TemplateResource] {
  const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').filter(([, r]) => r.Properties?.GenerateSecret !== true);
  expect(clients).toHaveLength(1);
  return clients[0];
}

function machineClientResources(template: Template): [string, TemplateResource][] {
  return resourcesOfType(template, 'AWS::Cognito::UserPoolClient').filter(([, r]) => r.Properties?.GenerateSecret === true);
}

/** Deployed values for every Ref the outputs and the environment use. */
function deployedRefs(template: Template): Record<string, string> {
  const refs: Record<string, string> = { 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::AccountId': '123456789012' };
  refs[userPool(template)[0]] = POOL_ID;
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Cognito::UserPoolClient')) {
    refs[logicalId] = `${resource.Properties?.ClientName ?? 'user'}clientid0123456789`;
  }
  return refs;
}

/** Logical ids each resource depends on: Ref, Fn::GetAtt and DependsOn. */
function dependencyGraph(template: Template): Map<string, Set<string>> {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const graph = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>): void => {
    if (Array.isArray(value)) for (const v of value) collect(v, into);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && inner in resources) into.add(inner);
        else if (key === 'Fn::GetAtt' && Array.isArray(inner) && inner[0] in resources) into.add(inner[0] as string);
        else collect(inner, into);
      }
    }
  };
  for (const [logicalId, resource] of Object.entries(resources)) {
    const deps = new Set<string>(resource.DependsOn ?? []);
    collect(resource.Properties ?? {}, deps);
    graph.set(logicalId, deps);
  }
  return graph;
}

/** A dependency cycle as a list of logical ids, or undefined. CloudFormation refuses templates with one. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('default config (the cdk.json example)', () => {
  const { template } = sharedStack(EXAMPLE);
  const [poolId, pool] = userPool(template);
  const [fnId, fn] = onlyResource(template, 'AWS::Lambda::Function');

  test('the pool is retained, deletion-protected, on Essentials, with email sign-in and no self sign-up', () => {
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
    expect(pool.Properties).toMatchObject({
      DeletionProtection: 'ACTIVE',
      UserPoolTier: 'ESSENTIALS',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
  });

  test('the trigger is V2_0 on PreTokenGenerationConfig, referencing the function, with no legacy trigger', () => {
    expect(pool.Properties?.LambdaConfig).toEqual({
      PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, LambdaVersion: 'V2_0' },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
    });
  });

  test('the declared custom attributes exist on the pool and are mutable (admins set them)', () => {
    expect(pool.Properties?.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'org_id', AttributeDataType: 'String', Mutable: true })]),
    );
  });

  test('one group per groupRoles entry, precedence in config order, kept with the pool', () => {
    const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g);
    expect(groups.map((g) => [g.Properties?.GroupName, g.Properties?.Precedence])).toEqual([
      ['admins', 0],
      ['editors', 1],
    ]);
    for (const group of groups) {
      expect(group.Properties?.UserPoolId).toEqual({ Ref: poolId });
      expect(group.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
  });

  test('the user client is public, SRP + refresh only, OAuth disabled, with explicit attributes', () => {
    const [, client] = userClient(template);
    expect(resourcesOfType(template, 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
    expect(client.Properties?.GenerateSecret).not.toBe(true);
    expect([...(client.Properties?.ExplicitAuthFlows ?? [])].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client.Properties?.PreventUserExistenceErrors).toBe('ENABLED');
    expect(client.Properties?.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(client.Properties?.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties?.CallbackURLs).toBeUndefined();
    expect(client.Properties?.WriteAttributes).toEqual([
      'birthdate',
      'family_name',
      'gender',
      'given_name',
      'locale',
      'middle_name',
      'name',
      'nickname',
      'picture',
      'preferred_username',
      'profile',
      'website',
      'zoneinfo',
    ]);
    expect(client.Properties?.ReadAttributes).toEqual(expect.arrayContaining(['custom:org_id', 'email', 'email_verified', 'name']));
    expect(client.Properties).toMatchObject({
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  test('no domain, resource server or machine client without machineClients/callbackUrls', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 0);
    expect(machineClientResources(template)).toHaveLength(0);
  });

  test('the Lambda: newest Node.js on ARM64, 5 s, small, JSON logs to its own retained log group', () => {
    expect(LAMBDA_NODE_MAJOR).toBe(24);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 5,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: onlyResource(template, 'AWS::Logs::LogGroup')[0] } },
    });
    expect(fn.Properties?.MemorySize).toBeLessThanOrEqual(256);
    expect(fn.Properties?.FunctionName).toBeUndefined();
    const [, logGroup] = onlyResource(template, 'AWS::Logs::LogGroup');
    expect(logGroup.Properties?.RetentionInDays).toBe(30);
    expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('HASURA_CLAIMS_CONFIG is the serialized validated claims config, and the Lambda parser accepts it', () => {
    // The example's claims fields (it has no machine clients), without its pool options.
    const claimsInput = Object.fromEntries(
      Object.entries(EXAMPLE).filter(([key]) => (CLAIMS_CONFIG_FIELDS as readonly string[]).includes(key)),
    );
    const env = fn.Properties?.Environment.Variables[CLAIMS_CONFIG_ENV];
    expect(env).toBe(serializeClaimsConfig(parseClaimsConfig(claimsInput, 'hasuraCognito')));
    expect(parseClaimsConfigJson(env)).toEqual(parseStackConfig(EXAMPLE).claims);
  });

  test('the alarm sums errors and throttles over 5 minutes, fires at 1, ignores missing data, notifies nobody', () => {
    const [, alarm] = onlyResource(template, 'AWS::CloudWatch::Alarm');
    expect(alarm.Properties).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Properties?.AlarmActions).toBeUndefined();
    const metrics = alarm.Properties?.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown[] } };
      Id: string;
    }[];
    expect(metrics.find((m) => m.Expression !== undefined)?.Expression).toBe('errors + throttles');
    const stats = metrics.filter((m) => m.MetricStat !== undefined);
    expect(stats.map((m) => m.MetricStat?.Metric.MetricName).sort()).toEqual(['Errors', 'Throttles']);
    for (const m of stats) {
      expect(m.MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
      expect(m.MetricStat?.Metric.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: fnId } }]);
    }
  });

  test('exactly the eight contract outputs', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([...REQUIRED_OUTPUTS].sort());
    expect(Object.values(STACK_OUTPUTS)).toEqual(expect.arrayContaining(REQUIRED_OUTPUTS));
  });

  test('the template has no dependency cycle', () => {
    expect(findCycle(dependencyGraph(template))).toBeUndefined();
  });
});

describe('HasuraJwtSecret output', () => {
  test.each([
    ['the default config', {}],
    [
      'json claims, custom namespace and machine clients',
      { ...M2M_AND_OAUTH, claimsFormat: 'json', namespace: 'https://example.com/claims' },
    ],
  ])("resolves to exactly the generator's JSON (%s)", (_name, input) => {
    const { template } = sharedStack(input);
    const refs = deployedRefs(template);
    const outputs = template.toJSON().Outputs;
    const config = parseStackConfig(input);
    const clientIds = [refs[userClient(template)[0]], ...Object.keys(config.machineClients).map((name) => `${name}clientid0123456789`)];
    const expected = JSON.stringify(
      buildHasuraJwtSecret({
        region: REGION,
        userPoolId: POOL_ID,
        clientIds,
        namespace: config.claims.namespace,
        claimsFormat: config.claims.claimsFormat,
      }),
    );
    expect(evaluate(outputs.HasuraJwtSecret.Value, refs)).toBe(expected);
    expect(evaluate(outputs.Issuer.Value, refs)).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`);
    expect(evaluate(outputs.JwksUrl.Value, refs)).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}/.well-known/jwks.json`);
    expect(evaluate(outputs.Region.Value, refs)).toBe(REGION);
    expect(evaluate(outputs.UserPoolId.Value, refs)).toBe(POOL_ID);
    expect(evaluate(outputs.UserPoolClientId.Value, refs)).toBe(clientIds[0]);
    expect(JSON.parse(evaluate(outputs.GroupRoles.Value, refs))).toEqual(config.claims.groupRoles);
    expect(evaluate(outputs.TokenUse.Value, refs)).toBe(config.claims.tokenUse);
  });
});

test('construct props naming a machine client __proto__ are refused, naming it: it would be lost in a plain object', () => {
  // Assigned into a plain object, "__proto__" sets the prototype: that client would be missing
  // from the HasuraJwtSecret audience and from MachineClientIds. JSON.parse makes it an own key.
  const machineClients = JSON.parse('{"__proto__":{"role":"svc"},"reporting":{"role":"r"}}');
  expect(() => buildStack({ domainPrefix: 'example-hasura-auth' }, { props: { machineClients } })).toThrow(
    expect.objectContaining({ name: 'InvalidInputError', field: 'HasuraCognitoAuth props.machineClients.__proto__' }),
  );
});

test('editing or removing a session variable leaves the pool schema identical (Cognito cannot drop or change a custom attribute)', () => {
  const schema = (input: Record<string, unknown>) =>
    userPool(sharedStack({ customAttributes: ['custom:org_id', 'custom:tenant'], ...input }).template)[1].Properties?.Schema;
  const before = schema({ sessionVariables: { 'x-hasura-org-id': 'custom:org_id', 'x-hasura-tenant': 'custom:tenant' } });
  expect(before.map((a: { Name: string }) => a.Name)).toEqual(['email', 'org_id', 'tenant']);
  expect(schema({ sessionVariables: { 'x-hasura-org-id': 'custom:tenant' } })).toEqual(before);
  expect(schema({})).toEqual(before);
});

describe('tokenUse and feature plan', () => {
  test('tokenUse id: V1_0 on the Lite plan', () => {
    const { template } = sharedStack({ tokenUse: 'id' });
    const [, pool] = userPool(template);
    expect(pool.Properties?.LambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe('V1_0');
    expect(pool.Properties?.LambdaConfig.PreTokenGeneration).toBeUndefined();
    expect(pool.Properties?.UserPoolTier).toBe('LITE');
  });

  test('featurePlan plus turns on full threat protection', () => {
    const { template } = sharedStack({ featurePlan: 'plus' });
    const [, pool] = userPool(template);
    expect(pool.Properties?.UserPoolTier).toBe('PLUS');
    expect(pool.Properties?.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });
});

describe('machine clients and managed login', () => {
  const { template } = sharedStack(M2M_AND_OAUTH);
  const [poolId, pool] = userPool(template);
  const [fnId, fn] = onlyResource(template, 'AWS::Lambda::Function');
  const refs = deployedRefs(template);

  test('the trigger is V3_0 on Essentials', () => {
    expect(pool.Properties?.LambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe('V3_0');
    expect(pool.Properties?.UserPoolTier).toBe('ESSENTIALS');
  });

  test('one confidential client-credentials client per entry, scoped to the Hasura resource server', () => {
    const machine = machineClientResources(template);
    expect(machine.map(([, c]) => c.Properties?.ClientName).sort()).toEqual(['billing', 'reporting']);
    const [serverId, server] = onlyResource(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties).toMatchObject({ Identifier: 'hasura', Scopes: [{ ScopeName: 'graphql' }] });
    for (const [, client] of machine) {
      expect(client.Properties).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        ReadAttributes: [],
        WriteAttributes: [],
      });
      expect(client.Properties?.AllowedOAuthScopes).toEqual([{ 'Fn::Join': ['', [{ Ref: serverId }, '/graphql']] }]);
    }
  });

  test('the Lambda config carries the machine clients keyed by their real client ids', () => {
    const env = evaluate(fn.Properties?.Environment.Variables[CLAIMS_CONFIG_ENV], refs);
    const claims = parseClaimsConfigJson(env);
    expect(claims.machineClients).toEqual({
      reportingclientid0123456789: { role: 'reporter', sessionVariables: { 'x-hasura-org-id': '42' } },
      billingclientid0123456789: { role: 'billing', sessionVariables: {} },
    });
    expect({ ...claims, machineClients: {} }).toEqual(parseStackConfig(M2M_AND_OAUTH).claims);
  });

  test('the pool reaches the function through an ARN built from its explicit name, so there is no cycle', () => {
    const arn = evaluate(pool.Properties?.LambdaConfig.PreTokenGenerationConfig.LambdaArn, refs);
    expect(fn.Properties?.FunctionName).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    expect(arn).toBe(`arn:aws:lambda:${REGION}:123456789012:function:${fn.Properties?.FunctionName}`);
    const graph = dependencyGraph(template);
    expect(graph.get(poolId)?.has(fnId)).toBe(false);
    expect(findCycle(graph)).toBeUndefined();
    // The environment does reference the clients: that is the dependency the indirection makes possible.
    expect([...(graph.get(fnId) ?? [])]).toEqual(expect.arrayContaining(machineClientResources(template).map(([id]) => id)));
  });

  test("Cognito's invoke permission waits for the function and is scoped to the pool", () => {
    const [, permission] = onlyResource(template, 'AWS::Lambda::Permission');
    expect(permission.DependsOn).toContain(fnId);
    expect(permission.Properties).toMatchObject({ Principal: 'cognito-idp.amazonaws.com', SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] } });
    expect(evaluate(permission.Properties?.FunctionName, refs)).toBe(
      evaluate(pool.Properties?.LambdaConfig.PreTokenGenerationConfig.LambdaArn, refs),
    );
  });

  test('MachineClientIds lists the machine client ids after the six outputs', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual([...REQUIRED_OUTPUTS, 'MachineClientIds'].sort());
    expect(evaluate(outputs.MachineClientIds.Value, refs).split(',').sort()).toEqual([
      'billingclientid0123456789',
      'reportingclientid0123456789',
    ]);
  });

  test('the user client gets the code grant only, with the configured URLs, on a Cognito domain', () => {
    const [, client] = userClient(template);
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: M2M_AND_OAUTH.callbackUrls,
      LogoutURLs: M2M_AND_OAUTH.logoutUrls,
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client.Properties?.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-hasura-auth', UserPoolId: { Ref: poolId } });
  });
});

describe('options', () => {
  test('removalPolicy destroy: no deletion protection, pool and logs deleted with the stack', () => {
    const { template } = sharedStack({ removalPolicy: 'destroy', groupRoles: { admins: 'admin' } });
    const [, pool] = userPool(template);
    expect(pool.Properties?.DeletionProtection).toBe('INACTIVE');
    expect(pool.DeletionPolicy).toBe('Delete');
    expect(onlyResource(template, 'AWS::Logs::LogGroup')[1].DeletionPolicy).toBe('Delete');
    expect(onlyResource(template, 'AWS::Cognito::UserPoolGroup')[1].DeletionPolicy).toBe('Delete');
  });

  test('self sign-up, required MFA, password length, password auth, validities and retention', () => {
    const { template } = sharedStack({
      selfSignUp: true,
      mfa: 'required',
      passwordMinLength: 16,
      passwordAuth: true,
      accessTokenValidityMinutes: 15,
      idTokenValidityMinutes: 30,
      refreshTokenValidityDays: 7,
      logRetentionDays: 365,
    });
    const [, pool] = userPool(template);
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 16 } },
    });
    const [, client] = userClient(template);
    expect([...(client.Properties?.ExplicitAuthFlows ?? [])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.Properties).toMatchObject({ AccessTokenValidity: 15, IdTokenValidity: 30, RefreshTokenValidity: 7 * 24 * 60 });
    expect(onlyResource(template, 'AWS::Logs::LogGroup')[1].Properties?.RetentionInDays).toBe(365);
  });

  test('mfa off turns MFA off', () => {
    const [, pool] = userPool(sharedStack({ mfa: 'off' }).template);
    expect(pool.Properties?.MfaConfiguration).toBe('OFF');
  });

  test('alarmTopicArn adds alarm and OK notifications; a topic prop takes precedence', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';
    const [, alarm] = onlyResource(sharedStack({ alarmTopicArn: arn }).template, 'AWS::CloudWatch::Alarm');
    expect(alarm.Properties).toMatchObject({ AlarmActions: [arn], OKActions: [arn] });

    const other = 'arn:aws:sns:eu-west-1:123456789012:other';
    const { template } = buildStack(
      { alarmTopicArn: arn },
      {
        props: { alarmTopic: sns.Topic.fromTopicArn(new Stack(), 'OtherTopic', other) },
      },
    );
    expect(onlyResource(template, 'AWS::CloudWatch::Alarm')[1].Properties?.AlarmActions).toEqual([other]);
  });

  test.each([
    ['a standard userIdAttribute', { userIdAttribute: 'preferred_username' }],
    [
      'standard session variables',
      { sessionVariables: { 'x-hasura-locale': 'locale', 'x-hasura-tz': 'zoneinfo', 'x-hasura-site': 'website' } },
    ],
    [
      'custom attributes, one of them user-writable',
      {
        customAttributes: ['custom:uid', 'custom:org_id', 'custom:bio'],
        userIdAttribute: 'custom:uid',
        sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
        userWritableAttributes: ['custom:bio'],
      },
    ],
  ])('WriteAttributes never contain an attribute the claims read (%s)', (_name, input) => {
    const config = parseStackConfig(input);
    const [, client] = userClient(sharedStack(input).template);
    const writes = client.Properties?.WriteAttributes as string[];
    expect(writes.length).toBeGreaterThan(0);
    for (const attribute of config.claimAttributes) expect(writes).not.toContain(attribute);
    // Only custom attributes explicitly listed as user-writable.
    expect(writes.filter((a) => a.startsWith('custom:'))).toEqual(config.userWritableAttributes.filter((a) => a.startsWith('custom:')));
  });

  test('stackName names the stack', () => {
    const { stack } = sharedStack({ stackName: 'AuthDev' });
    expect(stack.stackName).toBe('AuthDev');
  });
});

describe('cdk-nag AwsSolutions', () => {
  test.each([
    ['the cdk.json example', EXAMPLE],
    ['machine clients and managed login', M2M_AND_OAUTH],
    ['id tokens on Lite with MFA off and destroy', { tokenUse: 'id', mfa: 'off', removalPolicy: 'destroy' }],
    [
      'Plus with required MFA and an alarm topic',
      { featurePlan: 'plus', mfa: 'required', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' },
    ],
  ])('no unacknowledged finding, warnings included (%s)', (_name, input) => {
    const { app } = sharedStack(input);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the check does fail: a weak password policy override is reported as COG1', () => {
    const { app } = buildStack({}, { props: { userPoolProps: { passwordPolicy: { minLength: 6 } } } });
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-COG1']);
  });

  test('registered as a validation plugin, synth succeeds on the default config', () => {
    // Unsynthesized: an App synthesizes once, so a plugin added after a synth would never run.
    const { app } = newStack(EXAMPLE);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('every acknowledgement carries a specific reason', () => {
    const { app } = sharedStack({ ...M2M_AND_OAUTH, mfa: 'optional' });
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.map(([id]) => id.replace(/^annotation::/i, '')).sort()).toEqual(['AwsSolutions-COG2', 'AwsSolutions-COG8']);
    for (const [, reason] of acknowledgements) expect(reason.length).toBeGreaterThan(40);
  });
});

test('escape hatch: clientProps override the computed client options', () => {
  const { template } = buildStack({}, { props: { clientProps: { enableTokenRevocation: false } } });
  template.hasResourceProperties('AWS::Cognito::UserPoolClient', Match.objectLike({ EnableTokenRevocation: false }));
});
