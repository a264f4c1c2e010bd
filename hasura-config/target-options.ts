/**
 * The target of the users and token commands as the options give it: exactly one of `--local`
 * (the stack npm start is serving) or `--outputs FILE [--stack NAME]` (a deployed stack). Checked
 * with no I/O and no AWS SDK, so `--help` and a usage error answer before the SDK is loaded;
 * cognito-target.ts opens the target.
 */
import { resolve } from 'node:path';
import { InvalidInputError } from '../lambda/errors';
import { type OptionSpecs, type OptionValues, stringOption } from './cli-args';
import { LOCAL_STATE_DIR_NAME } from './local-stack-state';

export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  outputs: { type: 'string' },
  stack: { type: 'string' },
  'state-dir': { type: 'string' },
  'cdk-json': { type: 'string' },
} as const satisfies OptionSpecs;

/** The target as the options give it, before any file is read. */
export type TargetOptions =
  | { readonly kind: 'local'; readonly stateDir: string; readonly cdkJson: string }
  | { readonly kind: 'outputs'; readonly file: string; readonly stack: string | undefined };

const ONE_TARGET = 'one target: --local (the stack npm start serves) or --outputs FILE [--stack NAME] (a deployed stack)';

/** Exactly one target, and only the options that go with it. */
export function targetOptions(values: OptionValues): TargetOptions {
  const local = values.local === true;
  const outputs = stringOption(values, 'outputs');
  if (local && outputs !== undefined) throw new InvalidInputError('--local and --outputs', ONE_TARGET, 'both');
  if (!local && outputs === undefined) throw new InvalidInputError('target', ONE_TARGET, 'neither');
  const refuse = (name: string, with_: string) => {
    if (values[name] !== undefined) throw new InvalidInputError(`--${name}`, `${with_} with it`, `--${local ? 'local' : 'outputs'}`);
  };
  if (local) {
    refuse('stack', '--outputs FILE');
    return {
      kind: 'local',
      stateDir: resolve(stringOption(values, 'state-dir') ?? LOCAL_STATE_DIR_NAME),
      cdkJson: resolve(stringOption(values, 'cdk-json') ?? 'cdk.json'),
    };
  }
  refuse('state-dir', '--local');
  refuse('cdk-json', '--local');
  return { kind: 'outputs', file: outputs as string, stack: stringOption(values, 'stack') };
}
