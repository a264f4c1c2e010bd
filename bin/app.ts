/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs `tsx bin/app.ts`). Configuration
 * is the context key `hasuraCognito` (cdk.json, or `-c hasuraCognito='{...}'`); a bad config fails
 * synth with one line naming the field. The stack is environment-agnostic: it deploys to the CLI's
 * account and region.
 *
 * `buildHasuraCognitoApp` is the app as a function, which the tests run in-process. It lives here
 * rather than in lib/, the published library, because it registers cdk-nag, a development dependency.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HasuraCognitoError } from '../lambda/errors';
import { HasuraCognitoStack } from '../lib/hasura-cognito-stack';
import { STACK_CONFIG_CONTEXT_KEY, splitStackConfig } from '../lib/stack-config';

/**
 * Parses the `hasuraCognito` context, creates the stack, and registers the cdk-nag AwsSolutions
 * checks that run on every synth. Throws `InvalidInputError` naming the field when the config is
 * invalid.
 */
export function buildHasuraCognitoApp(app: App): HasuraCognitoStack {
  // The block is the construct's props; validated here first, so that an error names cdk.json's field.
  const { stackName, auth } = splitStackConfig(app.node.tryGetContext(STACK_CONFIG_CONTEXT_KEY));
  const stack = new HasuraCognitoStack(app, stackName, { stackName, auth });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

if (require.main === module) {
  try {
    buildHasuraCognitoApp(new App());
  } catch (error) {
    if (!(error instanceof HasuraCognitoError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
