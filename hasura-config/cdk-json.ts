/**
 * The `hasuraCognito` block of a cdk.json, validated as `cdk synth` validates it: npm start
 * provisions the local stack from it, and the `--local` commands read its group -> role map from it.
 * No CDK import: parseStackConfig is plain data validation.
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../lambda/errors';
import { parseStackConfig, STACK_CONFIG_CONTEXT_KEY, type StackConfig } from '../lib/stack-config';

/** Reads and validates the config in `file`; `subject` names the file in errors (such as `--cdk-json cdk.json`). */
export function readCdkJsonStackConfig(file: string, subject: string): StackConfig {
  let cdkJson: { context?: Record<string, unknown> };
  try {
    cdkJson = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(subject, 'a readable JSON file', (error as Error).message);
  }
  return parseStackConfig(cdkJson.context?.[STACK_CONFIG_CONTEXT_KEY], STACK_CONFIG_CONTEXT_KEY);
}
