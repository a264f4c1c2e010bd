/**
 * Command-line parsing shared by both CLIs: util.parseArgs plus the checks that turn every bad
 * option into one InvalidInputError (the CLI prints it as one line and exits 2), and the
 * resolution of "which user pool" from either a cdk outputs file or explicit ids.
 */
import { parseArgs } from 'node:util';
import { parseClaimsConfig } from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';
import {
  cognitoIssuer,
  type HasuraJwtSecret,
  hasuraUrlExpectation,
  isAppClientId,
  parseHasuraJwtSecret,
  type UserPoolLocation,
} from '../lib/hasura-jwt-secret';
import { STACK_OUTPUTS } from '../lib/stack-outputs';
import { readEnvVariable } from './env-file';
import { readStackOutputs } from './outputs-file';
import { checkRegion, checkUserPoolId, type PoolTarget, poolTargetFromIds, poolTargetFromSecret, type TargetClaims } from './pool-target';
import { quoted } from './terminal-text';

// The pool id checks live with the targets they build; re-exported for the callers that import them from here.
export { checkRegion, checkUserPoolId };

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** Options that say which user pool and which claims: the same for the generator and check-token. */
export const POOL_OPTIONS: OptionSpecs = {
  outputs: { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  'user-pool-id': { type: 'string' },
  'client-id': { type: 'string', multiple: true },
  endpoint: { type: 'string' },
  'token-use': { type: 'string' },
  namespace: { type: 'string' },
  'claims-format': { type: 'string' },
  help: { type: 'boolean' },
};

/** util.parseArgs, with our own one-line messages; no positionals, no repeated single options. */
export function parseOptions(argv: readonly string[], specs: OptionSpecs): OptionValues {
  return parseTokens(argv, specs, false).values;
}

/**
 * util.parseArgs for commands that take arguments (`users create <email>`): the options, checked
 * as parseOptions checks them, and the positional arguments in order (after `--`, everything is one).
 */
export function parseArguments(argv: readonly string[], specs: OptionSpecs): { values: OptionValues; positionals: string[] } {
  return parseTokens(argv, specs, true);
}

/** The first problem in argument order is the one reported. */
function parseTokens(
  argv: readonly string[],
  specs: OptionSpecs,
  allowPositionals: boolean,
): { values: OptionValues; positionals: string[] } {
  const { tokens } = parseArgs({ args: [...argv], options: specs, strict: false, allowPositionals: true, tokens: true });
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!allowPositionals)
        throw new InvalidInputError(`argument ${quoted(token.value)}`, 'an option such as --region', 'a bare argument');
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') {
      if (!allowPositionals) throw new InvalidInputError('--', 'options only', 'an option terminator');
      continue;
    }
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) throw new InvalidInputError(token.rawName, 'a known option (see --help)', 'an unknown option');
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new InvalidInputError(token.rawName, 'no value', quoted(token.value));
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new InvalidInputError(token.rawName, 'a value', 'nothing');
    }
    if (spec.multiple) {
      values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    } else {
      if (values[token.name] !== undefined) throw new InvalidInputError(token.rawName, 'one value', 'the option given twice');
      values[token.name] = token.value;
    }
  }
  return { values, positionals };
}

// The WHATWG HTML form of a valid e-mail address (what a frontend's <input type="email"> accepts),
// at most 254 characters (RFC 5321's limit on a path, less its brackets).
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** A user's email, which is also their username (the pools sign in with email); checked before any request. */
export function checkEmail(email: string, subject: string): string {
  if (email.length > 254 || !EMAIL.test(email))
    throw new InvalidInputError(subject, 'an email address such as alice@example.com', quoted(email));
  return email;
}

/** A Cognito group name as the Lambda's config accepts one in groupRoles. */
export function checkGroupName(group: string, subject: string): string {
  try {
    parseClaimsConfig({ groupRoles: { [group]: 'role' } }, 'options');
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(subject, error.expected, error.found);
    throw error;
  }
  return group;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function checkClientId(id: string, subject: string): string {
  if (!isAppClientId(id)) {
    throw new InvalidInputError(subject, 'an app client id (letters, digits, _ and +)', quoted(id));
  }
  return id;
}

/**
 * A Cognito emulator's base URL: a URL Hasura may read (see hasuraUrlExpectation), since jwk_url
 * and issuer are built on it and Hasura fetches the JWKS from it.
 */
export function checkEndpoint(endpoint: string): string {
  const expected = hasuraUrlExpectation(endpoint, 'an http(s) base URL such as http://127.0.0.1:9229');
  if (expected !== undefined) throw new InvalidInputError('--endpoint', expected, quoted(endpoint));
  return endpoint.replace(/\/+$/, '');
}

/** Options the stack's HasuraJwtSecret answers with --outputs, and the fields of it that say so. */
const SAID_BY_STACK_SECRET = {
  region: 'issuer',
  'user-pool-id': 'issuer',
  'client-id': 'audience',
  endpoint: 'issuer and jwk_url',
  namespace: 'claims_namespace',
  'claims-format': 'claims_format',
} as const;

/** Resolves POOL_OPTIONS into a target; throws InvalidInputError naming the first problem. */
export function resolvePoolTarget(values: OptionValues): PoolTarget {
  const outputs = stringOption(values, 'outputs');
  if (outputs !== undefined) {
    for (const [name, field] of Object.entries(SAID_BY_STACK_SECRET)) {
      if (values[name] !== undefined) {
        throw new InvalidInputError(`--${name}`, `--outputs without --${name} (the stack's HasuraJwtSecret says its ${field})`, 'both');
      }
    }
    return targetFromStack(outputs, values);
  }

  if (values.stack !== undefined) throw new InvalidInputError('--stack', '--outputs FILE with it', 'no --outputs');
  const endpointText = stringOption(values, 'endpoint');
  const endpoint = endpointText === undefined ? undefined : checkEndpoint(endpointText);
  const required = (name: 'region' | 'user-pool-id') => {
    const value = stringOption(values, name);
    if (value === undefined)
      throw new InvalidInputError(`--${name}`, '--outputs FILE, or --region, --user-pool-id and --client-id', 'no value');
    return value;
  };
  const regionText = required('region');
  const userPoolIdText = required('user-pool-id');
  if (values['client-id'] === undefined) {
    throw new InvalidInputError('--client-id', '--outputs FILE, or --region, --user-pool-id and --client-id', 'no value');
  }
  const region = checkRegion(regionText, '--region');
  const userPoolId = checkUserPoolId(userPoolIdText, region, endpoint, '--user-pool-id');
  const clientIds: string[] = [];
  for (const id of values['client-id'] as string[]) {
    if (!clientIds.includes(checkClientId(id, '--client-id'))) clientIds.push(id);
  }
  return poolTargetFromIds({ region, userPoolId, endpoint }, clientIds, resolveClaimsOptions(values, {}));
}

/** check-token's other targets: a HASURA_GRAPHQL_JWT_SECRET as written, in an env file or given as the value. */
export const SECRET_OPTIONS: OptionSpecs = {
  'env-file': { type: 'string' },
  'jwt-secret': { type: 'string' },
};

const JWT_SECRET_VARIABLE = 'HASURA_GRAPHQL_JWT_SECRET';

/**
 * The target of --env-file or --jwt-secret, undefined when neither is given. The secret says the
 * pool (its issuer), clients, namespace and format, so every other target option is refused with
 * it; --token-use still applies (the secret does not record it).
 */
export function resolveSecretTarget(values: OptionValues): PoolTarget | undefined {
  const given = Object.keys(SECRET_OPTIONS).filter((name) => values[name] !== undefined);
  if (given.length === 0) return undefined;
  const option = `--${given[0]}`;
  for (const name of [...given.slice(1), 'outputs', 'stack', ...Object.keys(SAID_BY_STACK_SECRET)]) {
    if (values[name] !== undefined) {
      throw new InvalidInputError(
        `--${name}`,
        `${option} alone (one target: the secret it gives says the pool, clients and claims)`,
        'both',
      );
    }
  }
  const envFile = stringOption(values, 'env-file');
  let text: string;
  let subject: string;
  if (envFile !== undefined) {
    const variable = readEnvVariable(envFile, JWT_SECRET_VARIABLE);
    text = variable.value;
    subject = `--env-file ${envFile} line ${variable.line} ${JWT_SECRET_VARIABLE}`;
  } else {
    text = stringOption(values, 'jwt-secret') as string;
    subject = '--jwt-secret';
  }
  const secret = parseSecretJson(text, subject);
  const { tokenUse } = resolveClaimsOptions(values, { namespace: secret.claims_namespace, claimsFormat: secret.claims_format });
  return poolTargetFromSecret(secret, tokenUse, subject);
}

/** The value's JSON, parsed and checked; the text itself is never quoted back (it is a config, maybe edited by hand). */
function parseSecretJson(text: string, subject: string): HasuraJwtSecret {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(subject, 'the JSON of a Hasura JWT config', 'text that is not JSON');
  }
  return parseHasuraJwtSecret(value, subject);
}

/**
 * The deployed stack's own HasuraJwtSecret output, validated, is the config: it is what the stack
 * was deployed with, so it is rendered as it is rather than rebuilt from the other outputs.
 */
function targetFromStack(outputs: string, values: OptionValues): PoolTarget {
  const stack = readStackOutputs(outputs, stringOption(values, 'stack'));
  const at = `--outputs ${outputs} stack ${stack.stackName} output`;
  const region = checkRegion(stack.region, `${at} ${STACK_OUTPUTS.region}`);
  const userPoolId = checkUserPoolId(stack.userPoolId, region, undefined, `${at} ${STACK_OUTPUTS.userPoolId}`);
  for (const id of stack.clientIds) checkClientId(id, `${at} ${STACK_OUTPUTS.userPoolClientId}/${STACK_OUTPUTS.machineClientIds}`);
  const secret = stack.hasuraJwtSecret;
  if (secret === undefined) {
    throw new InvalidInputError(
      `${at} ${STACK_OUTPUTS.hasuraJwtSecret}`,
      `the stack's Hasura JWT config (redeploy the stack: npx cdk deploy --outputs-file ${outputs})`,
      'no such output',
    );
  }
  // The signature check trusts this pool's keys: the secret must name the same pool.
  const pool: UserPoolLocation = { region, userPoolId };
  const issuer = cognitoIssuer(pool);
  if (secret.issuer !== issuer) {
    throw new InvalidInputError(
      `${at} ${STACK_OUTPUTS.hasuraJwtSecret} field issuer`,
      `${issuer} (the issuer of output ${STACK_OUTPUTS.userPoolId})`,
      quoted(secret.issuer),
    );
  }
  // Checked with the secret's claims, as the Lambda's parser checks them together.
  const { tokenUse } = resolveClaimsOptions(values, { namespace: secret.claims_namespace, claimsFormat: secret.claims_format });
  return { secret, pool, tokenUse };
}

const CLAIMS_OPTION_NAMES: Readonly<Record<string, string>> = {
  namespace: '--namespace',
  claimsFormat: '--claims-format',
  tokenUse: '--token-use',
  defaultRole: '--unauthorized-role',
};

/**
 * --namespace, --claims-format and --token-use, validated by the Lambda's own config parser so a
 * value the Lambda would refuse is refused here too. `defaults` come from the deployed stack's secret.
 */
export function resolveClaimsOptions(values: OptionValues, defaults: { namespace?: string; claimsFormat?: string }): TargetClaims {
  const config = parseClaimsFields({
    namespace: stringOption(values, 'namespace') ?? defaults.namespace,
    claimsFormat: stringOption(values, 'claims-format') ?? defaults.claimsFormat,
    tokenUse: stringOption(values, 'token-use'),
  });
  return { namespace: config.namespace, claimsFormat: config.claimsFormat, tokenUse: config.tokenUse };
}

/** A role name as the Lambda's config accepts it (used for --unauthorized-role and --role). */
export function checkRoleName(role: string, option: string): string {
  try {
    return parseClaimsFields({ defaultRole: role }).defaultRole;
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(option, error.expected, error.found);
    throw error;
  }
}

function parseClaimsFields(fields: Record<string, string | undefined>) {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  try {
    return parseClaimsConfig(defined, 'options');
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const name = error.field.replace(/^options\./, '');
      throw new InvalidInputError(CLAIMS_OPTION_NAMES[name] ?? name, error.expected, error.found);
    }
    throw error;
  }
}
