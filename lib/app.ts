/**
 * What bin/app.ts does, as a function the tests can call in-process: parse the `hasuraCognito`
 * context (cdk.json or `-c`), create the stack, and register the cdk-nag AwsSolutions checks that
 * run on every synth.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HasuraCognitoStack } from './hasura-cognito-stack';
import { STACK_CONFIG_CONTEXT_KEY, parseStackConfig } from './stack-config';

/** Throws `ClaimsConfigError` / `StackConfigError` naming the field when the config is invalid. */
export function buildHasuraCognitoApp(app: App): HasuraCognitoStack {
  const config = parseStackConfig(app.node.tryGetContext(STACK_CONFIG_CONTEXT_KEY));
  const stack = new HasuraCognitoStack(app, config.stackName, { stackName: config.stackName, config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
