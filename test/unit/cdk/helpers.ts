/** Shared helpers of the CDK tests: build the stack from a config, evaluate template values. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { HasuraCognitoAuthProps } from '../../../lib/hasura-cognito-auth';
import { HasuraCognitoStack } from '../../../lib/hasura-cognito-stack';
import { parseStackConfig, splitStackConfig } from '../../../lib/stack-config';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..');

/** cdk.json as the CLI reads it. */
export const CDK_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  notices?: boolean;
  context: Record<string, unknown>;
};

/** The feature flags of cdk.json, without the example `hasuraCognito` block. */
export function featureFlags(): Record<string, unknown> {
  const { hasuraCognito: _example, ...flags } = CDK_JSON.context;
  return flags;
}

export interface BuiltStack {
  readonly app: App;
  readonly stack: HasuraCognitoStack;
  readonly template: Template;
}

export interface BuildOptions {
  /** Run esbuild (slow); without it the asset is a placeholder. */
  readonly bundling?: boolean;
  readonly context?: Record<string, unknown>;
  /** Construct props on top of the config (an existing pool, escape hatches, a topic). */
  readonly props?: HasuraCognitoAuthProps;
  /** Stack props, such as `env`. */
  readonly stackProps?: StackProps;
}

/**
 * Parses `input` like bin/app.ts does and creates the stack in a fresh App with cdk.json's feature
 * flags, without synthesizing it: for a test that registers validations or changes the tree first
 * (an App synthesizes once; a later `app.synth()` returns the first assembly).
 */
export function newStack(input: unknown, options: BuildOptions = {}): Omit<BuiltStack, 'template'> {
  const app = new App({
    context: {
      ...featureFlags(),
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const { stackName, auth } = splitStackConfig(input);
  const stack = new HasuraCognitoStack(app, stackName, { ...options.stackProps, stackName, auth: { ...auth, ...options.props } });
  return { app, stack };
}

/** `newStack`, synthesized: a stack of its own, for props (topics, overrides) or a test that changes it. */
export function buildStack(input: unknown, options: BuildOptions = {}): BuiltStack {
  const { app, stack } = newStack(input, options);
  return { app, stack, template: Template.fromStack(stack) };
}

const shared = new Map<string, BuiltStack>();

/**
 * The synthesized stack for this config shape, built once per test file: every synth loads and
 * runs CDK's CloudFormation validation, and a bundled one runs esbuild. Inputs that parse to the
 * same config share one stack. Read it, never change it: its template is frozen; a test that adds
 * validations, aspects or constructs, or passes props, uses `newStack`/`buildStack`.
 */
export function sharedStack(input: unknown, options: Omit<BuildOptions, 'props' | 'stackProps'> = {}): BuiltStack {
  const key = JSON.stringify([parseStackConfig(input), options.bundling === true, options.context ?? {}]);
  let built = shared.get(key);
  if (built === undefined) {
    built = buildStack(input, options);
    deepFreeze(built.template.toJSON());
    shared.set(key, built);
  }
  return built;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template's properties are untyped JSON; tests read them by path.
type TemplateJson = Record<string, any>;

export type TemplateResource = {
  Type: string;
  Properties?: TemplateJson;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: TemplateJson;
};

export function resourcesOfType(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.toJSON().Resources as Record<string, TemplateResource>).filter(([, r]) => r.Type === type);
}

export function onlyResource(template: Template, type: string): [string, TemplateResource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/**
 * Evaluates a CloudFormation value the way CloudFormation would, for the intrinsics the stack
 * uses in its outputs and environment: Ref, Fn::GetAtt and Fn::Join. `refs` maps a logical id
 * or pseudo parameter (e.g. `AWS::Region`) to its deployed value.
 */
export function evaluate(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Ref' && typeof arg === 'string') return lookup(refs, arg);
      if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return lookup(refs, `${arg[0]}.${arg[1]}`);
      if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
        return arg[1].map((part: unknown) => evaluate(part, refs)).join(arg[0]);
      }
    }
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

function lookup(refs: Record<string, string>, key: string): string {
  if (!Object.hasOwn(refs, key)) throw new Error(`no value given for ${key}`);
  return refs[key];
}
