/**
 * What would otherwise fail or leave things behind at deploy time, checked on the synthesized
 * template: an alarm topic in another region, and what a failed first deploy or a stack deletion
 * keeps.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { InvalidInputError } from '../../../lambda/errors';
import { type BuildOptions, buildStack, onlyResource, resourcesOfType, sharedStack } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ENV = { account: ACCOUNT, region: REGION };

describe('alarm topic region', () => {
  const arnIn = (region: string, account = ACCOUNT) => `arn:aws:sns:${region}:${account}:ops-alerts`;

  function alarmActions(input: Record<string, unknown>, options: BuildOptions = {}): unknown {
    return onlyResource(buildStack(input, options).template, 'AWS::CloudWatch::Alarm')[1].Properties?.AlarmActions;
  }

  test("an alarmTopicArn in another region than the stack's is refused at synth, naming the field", () => {
    let error: unknown;
    try {
      buildStack({ alarmTopicArn: arnIn('us-east-1') }, { stackProps: { env: ENV } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'HasuraCognitoAuth props.alarmTopicArn', found: 'a topic in us-east-1' });
    expect((error as InvalidInputError).expected).toContain(REGION);
  });

  test("a topic in the stack's region notifies on alarm and recovery", () => {
    const { template } = buildStack({ alarmTopicArn: arnIn(REGION) }, { stackProps: { env: ENV } });
    expect(onlyResource(template, 'AWS::CloudWatch::Alarm')[1].Properties).toMatchObject({
      AlarmActions: [arnIn(REGION)],
      OKActions: [arnIn(REGION)],
    });
  });

  test("a topic of another account in the stack's region is accepted (its access policy decides)", () => {
    expect(alarmActions({ alarmTopicArn: arnIn(REGION, '210987654321') }, { stackProps: { env: ENV } })).toEqual([
      arnIn(REGION, '210987654321'),
    ]);
  });

  test('an environment-agnostic stack accepts any region: it is only known at deploy', () => {
    expect(alarmActions({ alarmTopicArn: arnIn('us-east-1') })).toEqual([arnIn('us-east-1')]);
  });

  test('the alarmTopic prop is checked the same way, naming the prop', () => {
    const elsewhere = new Stack(new App(), 'Topics', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const topic = new sns.Topic(elsewhere, 'Ops');
    expect(() => buildStack({}, { props: { alarmTopic: topic }, stackProps: { env: ENV } })).toThrow(
      expect.objectContaining({ name: 'InvalidInputError', field: 'HasuraCognitoAuth props.alarmTopic', found: 'a topic in us-east-1' }),
    );
    const imported = sns.Topic.fromTopicArn(new Stack(), 'Imported', arnIn(REGION));
    expect(alarmActions({}, { props: { alarmTopic: imported }, stackProps: { env: ENV } })).toEqual([arnIn(REGION)]);
  });
});

describe('what a failed first deploy and a stack deletion keep', () => {
  const WITH_DOMAIN = {
    groupRoles: { admins: 'admin' },
    machineClients: { reporting: { role: 'reporter' } },
    domainPrefix: 'example-hasura-auth',
  };

  function policies(template: ReturnType<typeof buildStack>['template'], type: string): [string | undefined, string | undefined][] {
    const found = resourcesOfType(template, type);
    expect(found.length).toBeGreaterThan(0);
    return found.map(([, r]) => [r.DeletionPolicy, r.UpdateReplacePolicy]);
  }

  describe('removalPolicy retain (the default)', () => {
    const { template } = sharedStack(WITH_DOMAIN);

    test('the pool is Retain, never RetainExceptOnCreate, and deletion-protected', () => {
      // A rollback cannot delete a deletion-protected pool, so RetainExceptOnCreate would turn a
      // failed first deploy into a failed rollback.
      const [, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
      expect([pool.DeletionPolicy, pool.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      expect(pool.Properties?.DeletionProtection).toBe('ACTIVE');
    });

    test.each(['AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolDomain', 'AWS::Logs::LogGroup'])(
      '%s is kept with the stack but removed when the deploy that created it rolls back',
      (type) => {
        for (const pair of policies(template, type)) expect(pair).toEqual(['RetainExceptOnCreate', 'Retain']);
      },
    );

    test('nothing else is kept: clients, resource server, function, role, permission and alarm go with the stack', () => {
      const kept = new Set([
        'AWS::Cognito::UserPool',
        'AWS::Cognito::UserPoolGroup',
        'AWS::Cognito::UserPoolDomain',
        'AWS::Logs::LogGroup',
      ]);
      const others = Object.values(template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter(
        (r) => !kept.has(r.Type),
      );
      expect(others.map((r) => r.Type)).toEqual(
        expect.arrayContaining(['AWS::Cognito::UserPoolClient', 'AWS::Lambda::Function', 'AWS::IAM::Role']),
      );
      for (const resource of others) expect([resource.Type, resource.DeletionPolicy ?? 'Delete']).toEqual([resource.Type, 'Delete']);
    });
  });

  test('removalPolicy destroy: every resource is deleted with the stack, deletion protection off', () => {
    const { template } = sharedStack({ ...WITH_DOMAIN, removalPolicy: 'destroy' });
    expect(onlyResource(template, 'AWS::Cognito::UserPool')[1].Properties?.DeletionProtection).toBe('INACTIVE');
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolDomain', 'AWS::Logs::LogGroup']) {
      // No DeletionPolicy is CloudFormation's default, Delete.
      for (const [deletion] of policies(template, type)) expect([type, deletion ?? 'Delete']).toEqual([type, 'Delete']);
    }
  });
});
