/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Configuration is the context key
 * `hasuraCognito` (cdk.json, or `-c hasuraCognito='{...}'`); a bad config fails synth with one
 * line naming the field. The stack is environment-agnostic: it deploys to the CLI's account and
 * region.
 */
import { App } from 'aws-cdk-lib';
import { HasuraCognitoError } from '../lambda/errors';
import { buildHasuraCognitoApp } from '../lib/app';

try {
  buildHasuraCognitoApp(new App());
} catch (error) {
  if (!(error instanceof HasuraCognitoError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
