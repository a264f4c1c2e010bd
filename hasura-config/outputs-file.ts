/**
 * Reads the file written by `cdk deploy --outputs-file`: `{ "<StackName>": { "<OutputName>": "..." } }`.
 * The output names are the contract with the CDK stack, `STACK_OUTPUTS` (lib/stack-outputs.ts);
 * the machine client ids output exists only when machine clients do ("id1,id2"). GroupRoles and
 * TokenUse are read when present: stacks deployed before they existed lack them, and only the
 * commands that need them (users, token) ask for a redeploy.
 */
import { readFileSync } from 'node:fs';
import { parseClaimsConfig, type TokenUse } from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';
import { type HasuraJwtSecret, parseHasuraJwtSecret } from '../lib/hasura-jwt-secret';
import { DEFAULT_STACK_NAME } from '../lib/stack-config';
import { STACK_OUTPUTS } from '../lib/stack-outputs';
import { quoted } from './terminal-text';

/** What the generator needs from one stack's outputs. */
export interface StackOutputs {
  readonly stackName: string;
  readonly region: string;
  readonly userPoolId: string;
  /** The app client first, then the machine clients. */
  readonly clientIds: readonly string[];
  /** The stack's own Hasura JWT config, validated; `undefined` when the output is absent. */
  readonly hasuraJwtSecret: HasuraJwtSecret | undefined;
  /** Cognito group -> Hasura role, validated as the Lambda validates its config; `undefined` when the output is absent. */
  readonly groupRoles: Readonly<Record<string, string>> | undefined;
  /** The token that carries the Hasura claims; `undefined` when the output is absent. */
  readonly tokenUse: TokenUse | undefined;
}

/** Reads and validates `path`; `stack` picks a stack (default: the only one, or HasuraCognito). */
export function readStackOutputs(path: string, stack: string | undefined): StackOutputs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      `--outputs ${path}`,
      'a readable cdk outputs file',
      code === 'ENOENT' ? 'no such file' : `an unreadable file (${code ?? 'error'})`,
    );
  }
  return parseStackOutputs(text, path, stack);
}

export function parseStackOutputs(text: string, path: string, stack: string | undefined): StackOutputs {
  const subject = `--outputs ${path}`;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InvalidInputError(subject, 'the JSON written by cdk deploy --outputs-file', 'text that is not JSON');
  }
  if (!isObject(document)) {
    throw new InvalidInputError(subject, 'a JSON object of stacks', Array.isArray(document) ? 'an array' : typeof document);
  }
  const stackNames = Object.keys(document);
  const stackName = pickStack(stackNames, stack, subject);
  const outputs = document[stackName];
  if (!isObject(outputs)) {
    throw new InvalidInputError(`${subject} stack ${stackName}`, 'an object of outputs', describe(outputs));
  }
  const at = `${subject} stack ${stackName}`;
  const read = (name: string): string => {
    const value = outputs[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw new InvalidInputError(`${at} output ${name}`, 'a non-empty string', value === undefined ? 'no such output' : describe(value));
    }
    return value;
  };
  const userPoolId = read(STACK_OUTPUTS.userPoolId);
  const clientIds = [read(STACK_OUTPUTS.userPoolClientId)];
  const region = read(STACK_OUTPUTS.region);
  if (outputs[STACK_OUTPUTS.machineClientIds] !== undefined) {
    for (const id of read(STACK_OUTPUTS.machineClientIds).split(',')) {
      const trimmed = id.trim();
      if (trimmed === '')
        throw new InvalidInputError(`${at} output ${STACK_OUTPUTS.machineClientIds}`, 'comma-separated client ids', 'an empty id');
      if (!clientIds.includes(trimmed)) clientIds.push(trimmed);
    }
  }
  let hasuraJwtSecret: HasuraJwtSecret | undefined;
  if (outputs[STACK_OUTPUTS.hasuraJwtSecret] !== undefined) {
    const secretAt = `${at} output ${STACK_OUTPUTS.hasuraJwtSecret}`;
    const text = read(STACK_OUTPUTS.hasuraJwtSecret);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidInputError(secretAt, 'a JSON object', 'text that is not a JSON object');
    }
    hasuraJwtSecret = parseHasuraJwtSecret(parsed, secretAt);
  }
  const claimsAt = (name: string) => `${at} output ${name}`;
  let groupRoles: Readonly<Record<string, string>> | undefined;
  if (outputs[STACK_OUTPUTS.groupRoles] !== undefined) {
    const text = read(STACK_OUTPUTS.groupRoles);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidInputError(claimsAt(STACK_OUTPUTS.groupRoles), 'a JSON object of group names to roles', 'text that is not JSON');
    }
    groupRoles = claimsField({ groupRoles: parsed }, claimsAt(STACK_OUTPUTS.groupRoles)).groupRoles;
  }
  const tokenUse =
    outputs[STACK_OUTPUTS.tokenUse] === undefined
      ? undefined
      : claimsField({ tokenUse: read(STACK_OUTPUTS.tokenUse) }, claimsAt(STACK_OUTPUTS.tokenUse)).tokenUse;
  return { stackName, region, userPoolId, clientIds, hasuraJwtSecret, groupRoles, tokenUse };
}

/** One field of the claims config, checked by the Lambda's own parser; errors name the output, not the field. */
function claimsField(fields: Record<string, unknown>, subject: string) {
  try {
    return parseClaimsConfig(fields, 'output');
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const rest = error.field.replace(/^output\.[a-zA-Z]+/, '');
    throw new InvalidInputError(`${subject}${rest}`, error.expected, error.found);
  }
}

function pickStack(names: readonly string[], wanted: string | undefined, subject: string): string {
  const available = names.length === 0 ? 'no stacks' : `stacks ${names.join(', ')}`;
  if (wanted !== undefined) {
    if (!Object.hasOwn(Object.fromEntries(names.map((n) => [n, true])), wanted)) {
      throw new InvalidInputError(`--stack ${wanted}`, `a stack in ${subject.replace('--outputs ', '')}`, available);
    }
    return wanted;
  }
  if (names.length === 1) return names[0];
  if (names.includes(DEFAULT_STACK_NAME)) return DEFAULT_STACK_NAME;
  throw new InvalidInputError(subject, `one stack, a stack named ${DEFAULT_STACK_NAME}, or --stack NAME`, available);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : quoted(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
