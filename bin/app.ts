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
import { parseStackConfig, STACK_CONFIG_CONTEXT_KEY } from '../lib/stack-config';

/**
 * Parses the `hasuraCognito` context, creates the stack, and registers the cdk-nag AwsSolutions
 * checks that run on every synth. Throws `InvalidInputError` naming the field when the config is
 * invalid.
 */
export function buildHasuraCognitoApp(app: App): HasuraCognitoStack {
  const context: unknown = app.node.tryGetContext(STACK_CONFIG_CONTEXT_KEY);
  // Parsed here first so that an error names the cdk.json block; the construct parses its props again, with the same function.
  const { stackName } = parseStackConfig(context);
  const { stackName: _, ...auth } = contextObject(context);
  const stack = new HasuraCognitoStack(app, stackName, { stackName, auth });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

/** The block as an object: `-c hasuraCognito='{...}'` gives JSON text, which parseStackConfig has already checked. */
function contextObject(context: unknown): Record<string, unknown> {
  const value = typeof context === 'string' ? JSON.parse(context) : context;
  return (value ?? {}) as Record<string, unknown>;
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
