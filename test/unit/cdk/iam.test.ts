/**
 * The trigger's role: it may write its own log group and nothing else. No managed policy
 * (AWSLambdaBasicExecutionRole allows logs:CreateLogGroup, CreateLogStream and PutLogEvents on
 * every log group), one inline statement scoped to the function's log group.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CDK_JSON, onlyResource, resourcesOfType, sharedStack } from './helpers';

const EXAMPLE = CDK_JSON.context.hasuraCognito as Record<string, unknown>;
/** Machine clients give the function an explicit name (see the construct); the role must not care. */
const MACHINE_CLIENTS = { machineClients: { reporting: { role: 'reporter' } }, domainPrefix: 'example-hasura-auth' };

describe.each([
  ['the cdk.json example', EXAMPLE],
  ['machine clients (explicit function name)', MACHINE_CLIENTS],
])('the trigger role (%s)', (_name, input) => {
  const { template } = sharedStack(input);
  const [, fn] = onlyResource(template, 'AWS::Lambda::Function');
  const [roleId, role] = onlyResource(template, 'AWS::IAM::Role');
  const [logGroupId] = onlyResource(template, 'AWS::Logs::LogGroup');

  test("is the function's role, assumable by Lambda only, with no managed policy", () => {
    expect(fn.Properties?.Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties?.Policies).toBeUndefined();
  });

  test("its one policy allows exactly CreateLogStream and PutLogEvents on the function's log group", () => {
    const policies = resourcesOfType(template, 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0];
    expect(policy.Properties?.Roles).toEqual([{ Ref: roleId }]);
    // The log group's Arn attribute ends in `:*`, which covers the streams PutLogEvents writes to.
    expect(policy.Properties?.PolicyDocument.Statement).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
    // The function is created after its permission to log, so its first invocation can log.
    expect(fn.DependsOn).toEqual(expect.arrayContaining([policyId, roleId]));
    expect(fn.Properties?.LoggingConfig.LogGroup).toEqual({ Ref: logGroupId });
  });

  test('cdk-nag reports nothing and nothing about IAM is acknowledged', () => {
    const { app } = sharedStack(input);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(acknowledged.filter((id) => id.includes('IAM'))).toEqual([]);
  });
});
