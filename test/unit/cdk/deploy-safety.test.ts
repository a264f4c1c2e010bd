/**
 * What would otherwise fail or leave things behind at deploy time, checked on the synthesized
 * template: an alarm topic in another region.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { StackConfigError } from '../../../lib/stack-config';
import { buildStack, onlyResource } from './helpers';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ENV = { account: ACCOUNT, region: REGION };

describe('alarm topic region', () => {
  const arnIn = (region: string, account = ACCOUNT) => `arn:aws:sns:${region}:${account}:ops-alerts`;

  function alarmActions(input: Record<string, unknown>, props = {}): unknown {
    return onlyResource(buildStack(input, { props }).template, 'AWS::CloudWatch::Alarm')[1].Properties?.AlarmActions;
  }

  test('an alarmTopicArn in another region than the stack\'s is refused at synth, naming the field', () => {
    let error: unknown;
    try {
      buildStack({ alarmTopicArn: arnIn('us-east-1') }, { props: { env: ENV } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    expect(error).toMatchObject({ field: 'hasuraCognito.alarmTopicArn', found: 'a topic in us-east-1' });
    expect((error as StackConfigError).expected).toContain(REGION);
  });

  test('a topic in the stack\'s region notifies on alarm and recovery', () => {
    const { template } = buildStack({ alarmTopicArn: arnIn(REGION) }, { props: { env: ENV } });
    expect(onlyResource(template, 'AWS::CloudWatch::Alarm')[1].Properties).toMatchObject({
      AlarmActions: [arnIn(REGION)],
      OKActions: [arnIn(REGION)],
    });
  });

  test('a topic of another account in the stack\'s region is accepted (its access policy decides)', () => {
    expect(alarmActions({ alarmTopicArn: arnIn(REGION, '210987654321') }, { env: ENV })).toEqual([arnIn(REGION, '210987654321')]);
  });

  test('an environment-agnostic stack accepts any region: it is only known at deploy', () => {
    expect(alarmActions({ alarmTopicArn: arnIn('us-east-1') })).toEqual([arnIn('us-east-1')]);
  });

  test('the alarmTopic prop is checked the same way, naming the prop', () => {
    const elsewhere = new Stack(new App(), 'Topics', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const topic = new sns.Topic(elsewhere, 'Ops');
    expect(() => buildStack({}, { props: { env: ENV, alarmTopic: topic } })).toThrow(
      expect.objectContaining({ name: 'StackConfigError', field: 'alarmTopic', found: 'a topic in us-east-1' }),
    );
    const imported = sns.Topic.fromTopicArn(new Stack(), 'Imported', arnIn(REGION));
    expect(alarmActions({}, { env: ENV, alarmTopic: imported })).toEqual([arnIn(REGION)]);
  });
});
