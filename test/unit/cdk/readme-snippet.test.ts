/**
 * The README's "Use it in your own CDK app" shows a Hasura on ECS Fargate taking
 * HASURA_GRAPHQL_JWT_SECRET from the construct. That block is test/fixtures/readme/hasura-fargate-stack.ts
 * word for word (only the package import differs), so the type check compiles it and this test
 * synthesizes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HASURA_IMAGE } from '../../../hasura-config/formats';
import { HasuraCognitoAuth } from '../../../lib';
import { HasuraStack } from '../../fixtures/readme/hasura-fargate-stack';
import { featureFlags, onlyResource, REPO_ROOT } from './helpers';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'readme', 'hasura-fargate-stack.ts');
const PACKAGE_IMPORT = "from 'hasura-cognito';";
const FIXTURE_IMPORT = "from '../../../lib';";

function readmeBlock(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your own CDK app'));
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section);
  if (block === null) throw new Error('no ts block in the section');
  return block[1];
}

test('the README block is the fixture, importing the package by its name', () => {
  const fixture = fs.readFileSync(FIXTURE, 'utf8');
  expect(fixture).toContain(FIXTURE_IMPORT);
  expect(readmeBlock()).toBe(fixture.replace(FIXTURE_IMPORT, PACKAGE_IMPORT));
});

test('it synthesizes: the Hasura container gets HASURA_GRAPHQL_JWT_SECRET from the construct, the secrets from Secrets Manager', () => {
  const app = new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [] } });
  const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
  const stack = new HasuraStack(app, 'Hasura', { env: { account: '123456789012', region: 'eu-west-1' }, certificateArn });
  const template = Template.fromStack(stack);
  // Nothing for a reader to fix: CDK warns about no deployment setting of the snippet.
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  const auth = stack.node.findAll().find((c): c is HasuraCognitoAuth => c instanceof HasuraCognitoAuth);
  if (auth === undefined) throw new Error('no HasuraCognitoAuth in the stack');

  const [, task] = onlyResource(template, 'AWS::ECS::TaskDefinition');
  const [container] = task.Properties!.ContainerDefinitions as {
    Image: string;
    Environment: { Name: string; Value: unknown }[];
    Secrets: { Name: string }[];
  }[];
  expect(container.Image).toBe(HASURA_IMAGE);
  const environment = Object.fromEntries(container.Environment.map((v) => [v.Name, v.Value]));
  expect(environment.HASURA_GRAPHQL_JWT_SECRET).toEqual(stack.resolve(auth.hasuraJwtSecret));
  expect(container.Secrets.map((s) => s.Name).sort()).toEqual(['HASURA_GRAPHQL_ADMIN_SECRET', 'HASURA_GRAPHQL_DATABASE_URL']);
  // HTTPS in front of Hasura, with HTTP only redirecting to it.
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443 });
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443' } }],
  });
});
