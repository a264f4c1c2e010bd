/**
 * `PreTokenTriggerAttachment`'s template: the handler's IAM exactly (the pool's ARN only), Cognito's
 * invoke permission limited to the pool, the custom resource's properties and its dependency on
 * that permission, cdk-nag, and construction errors. Plus the one synth with real bundling: the
 * handler's asset is byte for byte `bundlePoolTrigger`'s output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, aws_cognito as cognito, aws_iam as iam, aws_lambda as lambda, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidInputError } from '../../../lambda/errors';
import {
  PRE_TOKEN_TRIGGER_RESOURCE_TYPE,
  PreTokenTriggerAttachment,
  type PreTokenTriggerAttachmentProps,
} from '../../../lib/existing-pool/pre-token-trigger-attachment';
import { bundlePoolTrigger } from '../../../lib/lambda-bundling';
import { featureFlags, onlyResource, resourcesOfType } from '../cdk/helpers';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Existing1`;
const TRIGGER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:hasura-pre-token`;
const SMS_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/CognitoSms`;

type Props = Partial<PreTokenTriggerAttachmentProps> | ((stack: Stack) => Partial<PreTokenTriggerAttachmentProps>);

function build(props: Props = {}, options: { bundling?: boolean; region?: string } = {}) {
  const app = new App({
    context: { ...featureFlags(), ...(options.bundling ? { 'aws:cdk:enable-asset-metadata': true } : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new Stack(app, 'Existing', { env: { account: ACCOUNT, region: options.region ?? REGION } });
  const attachment = new PreTokenTriggerAttachment(stack, 'Attach', {
    userPool: cognito.UserPool.fromUserPoolArn(stack, 'Pool', POOL_ARN),
    trigger: lambda.Function.fromFunctionArn(stack, 'Trigger', TRIGGER_ARN),
    triggerVersion: 'V2_0',
    claimAttributes: ['sub', 'custom:org_id'],
    ...(typeof props === 'function' ? props(stack) : props),
  });
  return { app, stack, attachment, template: Template.fromStack(stack) };
}

describe('the handler role', () => {
  test('is assumable by Lambda only, has no managed policy, and is the handler function’s', () => {
    const { template, attachment, stack } = build();
    const handlerId = stack.resolve((attachment.handler.node.defaultChild as lambda.CfnFunction).logicalId);
    const handler = template.toJSON().Resources[handlerId];
    const roleId = handler.Properties.Role['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(handler.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });

  test.each([
    ['without an app client', {}, ['cognito-idp:DescribeUserPool', 'cognito-idp:UpdateUserPool']],
    [
      'with an app client',
      { userPoolClientId: 'client1' },
      // IAM policies list actions sorted.
      ['cognito-idp:DescribeUserPool', 'cognito-idp:DescribeUserPoolClient', 'cognito-idp:UpdateUserPool'],
    ],
  ])('allows exactly its log group and the Cognito calls on the pool ARN (%s)', (_name, props, actions) => {
    const { template, attachment, stack } = build(props);
    const roleId = stack.resolve((attachment.handlerRole.node.defaultChild as iam.CfnRole).logicalId);
    const [, policy] = resourcesOfType(template, 'AWS::IAM::Policy').find(([, p]) => p.Properties?.Roles[0].Ref === roleId) ?? [];
    const [logGroupId] = resourcesOfType(template, 'AWS::Logs::LogGroup').find(([id]) => id.includes('HandlerLogs')) ?? [];
    expect(policy?.Properties?.PolicyDocument.Statement).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      { Action: actions, Effect: 'Allow', Resource: POOL_ARN },
    ]);
  });

  test('with smsRole, may pass that role and only to Cognito', () => {
    const { template, attachment, stack } = build((stack) => ({ smsRole: iam.Role.fromRoleArn(stack, 'Sms', SMS_ROLE_ARN) }));
    const roleId = stack.resolve((attachment.handlerRole.node.defaultChild as iam.CfnRole).logicalId);
    const [, policy] = resourcesOfType(template, 'AWS::IAM::Policy').find(([, p]) => p.Properties?.Roles[0].Ref === roleId) ?? [];
    expect(policy?.Properties?.PolicyDocument.Statement).toContainEqual({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
      Effect: 'Allow',
      Resource: SMS_ROLE_ARN,
    });
  });
});

describe('the invoke permission and the custom resource', () => {
  const { template, attachment, stack } = build({ userPoolClientId: 'client1' });
  const [permissionId, permission] = onlyResource(template, 'AWS::Lambda::Permission');
  const [, resource] = onlyResource(template, PRE_TOKEN_TRIGGER_RESOURCE_TYPE);

  test('Cognito may invoke the trigger from this pool only', () => {
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: TRIGGER_ARN,
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: POOL_ARN,
    });
  });

  test('the resource names the pool, the function, the version, the client and the claim attributes, and waits for the permission', () => {
    const providerFunctionId = stack.resolve(
      (attachment.provider.node.findChild('framework-onEvent').node.defaultChild as lambda.CfnFunction).logicalId,
    );
    expect(resource.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [providerFunctionId, 'Arn'] },
      UserPoolId: `${REGION}_Existing1`,
      FunctionArn: TRIGGER_ARN,
      LambdaVersion: 'V2_0',
      UserPoolClientId: 'client1',
      ClaimAttributes: ['sub', 'custom:org_id'],
    });
    expect(resource.DependsOn).toContain(permissionId);
  });

  test('without a client, neither the client nor the claim attributes are sent', () => {
    const [, plain] = onlyResource(build().template, PRE_TOKEN_TRIGGER_RESOURCE_TYPE);
    expect(Object.keys(plain.Properties ?? {}).sort()).toEqual(['FunctionArn', 'LambdaVersion', 'ServiceToken', 'UserPoolId']);
  });
});

describe('cdk-nag AwsSolutions', () => {
  test.each([
    ['the default', {}],
    [
      'an app client and an SMS role',
      (stack: Stack) => ({ userPoolClientId: 'client1', smsRole: iam.Role.fromRoleArn(stack, 'Sms', SMS_ROLE_ARN) }),
    ],
  ])('no unacknowledged finding (%s)', (_name, props) => {
    const { app } = build(props);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
  });

  test("the one acknowledgement is the Provider framework's invoke wildcard on our own handler, with its reason", () => {
    const { app, stack, attachment } = build();
    const handlerId = stack.resolve((attachment.handler.node.defaultChild as lambda.CfnFunction).logicalId);
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.map(([id]) => id.replace(/^annotation::/i, ''))).toEqual([`AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`]);
    expect(acknowledgements[0][1]).toContain("the handler is this construct's own function");
  });
});

describe('construction errors', () => {
  test('an unknown trigger version names the field', () => {
    expect(() => build({ triggerVersion: 'V4_0' as never })).toThrow(new InvalidInputError('triggerVersion', 'V1_0, V2_0, V3_0', '"V4_0"'));
  });
});

describe('the handler asset (real bundling)', () => {
  let tmpdir: string;
  beforeAll(() => {
    tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hasura-cognito-pool-trigger-'));
  });
  afterAll(() => {
    fs.rmSync(tmpdir, { recursive: true, force: true });
  });

  test('is byte-identical to bundlePoolTrigger output, and needs only the runtime’s AWS SDK', () => {
    const { app, attachment, stack, template } = build({}, { bundling: true });
    const assembly = app.synth();
    const handlerId = stack.resolve((attachment.handler.node.defaultChild as lambda.CfnFunction).logicalId);
    const assetPath = template.toJSON().Resources[handlerId].Metadata?.['aws:asset:path'];
    expect(typeof assetPath).toBe('string');
    const assetDir = path.join(assembly.directory, assetPath as string);
    expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
    const synthesized = fs.readFileSync(path.join(assetDir, 'index.js'));
    expect(synthesized.equals(fs.readFileSync(bundlePoolTrigger(tmpdir)))).toBe(true);
    const requires = [...new Set(synthesized.toString('utf8').match(/require\("[^"]+"\)/g))];
    expect(requires).toEqual(['require("@aws-sdk/client-cognito-identity-provider")']);
  });
});
