/**
 * The one parser for the cdk.json context key `hasuraCognito`: the claims config of the Lambda
 * (validated by the shared `parseClaimsConfig`, so cdk synth refuses what the Lambda would refuse
 * at load) plus the user pool options of the CDK app. Every error names the field.
 *
 * No CDK import: the parser is plain data validation, usable without loading aws-cdk-lib.
 */
import {
  CLAIMS_CONFIG_ENV,
  CLAIMS_CONFIG_FIELDS,
  type ClaimsConfig,
  type ClaimsConfigInput,
  fieldPath,
  type MachineClientConfig,
  PROTOTYPE_NAMES,
  parseClaimsConfig,
  STANDARD_ATTRIBUTES,
  serializeClaimsConfig,
} from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';

/**
 * Lambda's quota on a function's environment variables, names and values together (Lambda quotas
 * page: "Function environment variables: 4 KB, for all environment variables associated with the
 * function, in aggregate"). CreateFunction fails above it.
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/**
 * Length of the app client ids Cognito generates (26 lower-case letters and digits, as the Amplify
 * maintainers state in aws-amplify/docs#771; the API type allows up to 128, but an id is generated,
 * never chosen). Machine client ids are only CloudFormation references at synth time.
 */
export const COGNITO_CLIENT_ID_LENGTH = 26;

/** The pre token generation function's environment: what the construct sets, and what the quota counts. */
export function lambdaEnvironment(claimsJson: string): Record<string, string> {
  return { [CLAIMS_CONFIG_ENV]: claimsJson };
}

/**
 * Bytes of an environment as Lambda counts them: its error message shows it measures the JSON of
 * the variables ("String measured: {...}"). Non-ASCII characters count as the six bytes of a
 * `\uXXXX` escape, which LocalStack's emulation of the check uses and which is never less than
 * their UTF-8 length, so a config this count accepts cannot fail on Lambda's.
 */
export function lambdaEnvironmentBytes(variables: Readonly<Record<string, string>>): number {
  const json = JSON.stringify(variables);
  return json.length + 5 * (json.match(/[^\x00-\x7f]/g)?.length ?? 0);
}

/** The context key the CDK app reads (`cdk synth -c hasuraCognito='{...}'` overrides cdk.json). */
export const STACK_CONFIG_CONTEXT_KEY = 'hasuraCognito';
export const DEFAULT_STACK_NAME = 'HasuraCognito';

export type MfaMode = 'optional' | 'required' | 'off';
export type RemovalMode = 'retain' | 'destroy';
export type FeaturePlanName = 'lite' | 'essentials' | 'plus';
/** How the pre token generation trigger is registered (Cognito's LambdaVersion). */
export type TriggerVersion = 'V1_0' | 'V2_0' | 'V3_0';

export const MFA_MODES: readonly MfaMode[] = ['optional', 'required', 'off'];
export const REMOVAL_MODES: readonly RemovalMode[] = ['retain', 'destroy'];
export const FEATURE_PLANS: readonly FeaturePlanName[] = ['lite', 'essentials', 'plus'];

/** CloudWatch Logs retention values (RetentionDays without INFINITE). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Standard attributes an app client can be allowed to read: all but `sub`, which every token carries anyway. */
export const READABLE_STANDARD_ATTRIBUTES: readonly string[] = STANDARD_ATTRIBUTES.filter((a) => a !== 'sub');

/**
 * Standard attributes an app client can be allowed to write: `sub` never is, and `email_verified` /
 * `phone_number_verified` change only through verification.
 */
export const WRITABLE_STANDARD_ATTRIBUTES: readonly string[] = READABLE_STANDARD_ATTRIBUTES.filter(
  (a) => a !== 'email_verified' && a !== 'phone_number_verified',
);

/**
 * Profile attributes the app client may let users edit by default. Sign-in identifiers (email,
 * phone_number) are left out: changing them is an account-recovery decision, opt in with
 * `userWritableAttributes`. Any attribute the claims read is removed from this set.
 */
export const DEFAULT_USER_WRITABLE_ATTRIBUTES: readonly string[] = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'picture',
  'profile',
  'website',
  'locale',
  'zoneinfo',
  'birthdate',
  'gender',
];

/** Every user pool option, with its default. All optional in cdk.json. */
export interface PoolOptions {
  /** CloudFormation stack name of the app (the construct ignores it). */
  readonly stackName: string;
  /** Cognito feature plan; defaults to `essentials` for V2/V3 triggers and `lite` for V1. */
  readonly featurePlan: FeaturePlanName;
  readonly selfSignUp: boolean;
  /** Minimum password length; every character class is always required. */
  readonly passwordMinLength: number;
  readonly mfa: MfaMode;
  /** `retain` keeps the pool (and turns deletion protection on); `destroy` is for throwaway stacks. */
  readonly removalPolicy: RemovalMode;
  /**
   * The custom attributes created on the pool (`custom:<name>`), in declared order. The pool's
   * schema comes from this list only: Cognito can add a custom attribute to a pool but never remove
   * or change one, so entries may be added, never removed or changed.
   */
  readonly customAttributes: readonly string[];
  /** Attributes users may write beyond the default profile set (standard names or declared `custom:*`). */
  readonly userWritableAttributes: readonly string[];
  /** OAuth code grant redirect URLs; empty means OAuth is disabled on the user client. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`); needed for OAuth and M2M. */
  readonly domainPrefix: string | undefined;
  /** Allow USER_PASSWORD_AUTH (the password sent to Cognito instead of SRP). */
  readonly passwordAuth: boolean;
  readonly accessTokenValidityMinutes: number;
  readonly idTokenValidityMinutes: number;
  readonly refreshTokenValidityDays: number;
  readonly logRetentionDays: number;
  readonly alarmTopicArn: string | undefined;
  /**
   * Name of an SSM String parameter to create holding the HASURA_GRAPHQL_JWT_SECRET value, for a
   * Hasura deployed elsewhere (another app, Kubernetes with an external-secrets operator). The value
   * holds no key material (Hasura fetches the pool's public keys), so a String parameter is enough.
   */
  readonly jwtSecretParameterName: string | undefined;
}

/** The parsed `hasuraCognito` block. */
export interface StackConfig extends PoolOptions {
  /**
   * The claims config for the Lambda, with `machineClients` empty: in cdk.json machine clients are
   * keyed by name (see `machineClients`), and the construct fills in the real client ids.
   */
  readonly claims: ClaimsConfig;
  /** Confidential client name -> its Hasura identity. The stack creates one client per entry. */
  readonly machineClients: Readonly<Record<string, MachineClientConfig>>;
  /** Attributes the claims read (`userIdAttribute` and `sessionVariables` values). */
  readonly claimAttributes: readonly string[];
  /** Attributes the user app client may write: explicit, never one the claims read. */
  readonly writeAttributes: readonly string[];
  /** Attributes the user app client may read. */
  readonly readAttributes: readonly string[];
  readonly triggerVersion: TriggerVersion;
}

/** The construct needs everything but the stack name. */
export type AuthConfig = Omit<StackConfig, 'stackName'>;

export const POOL_OPTION_FIELDS: readonly (keyof PoolOptions)[] = [
  'stackName',
  'featurePlan',
  'selfSignUp',
  'passwordMinLength',
  'mfa',
  'removalPolicy',
  'customAttributes',
  'userWritableAttributes',
  'callbackUrls',
  'logoutUrls',
  'domainPrefix',
  'passwordAuth',
  'accessTokenValidityMinutes',
  'idTokenValidityMinutes',
  'refreshTokenValidityDays',
  'logRetentionDays',
  'alarmTopicArn',
  'jwtSecretParameterName',
];

/**
 * What the construct takes as props: every field of the `hasuraCognito` block but `stackName`, all
 * optional, with the same names, defaults and validation (`parseAuthConfig`).
 */
export interface HasuraCognitoOptions extends ClaimsConfigInput, Partial<Omit<PoolOptions, 'stackName'>> {}

/** Where an existing pool or app client comes from, which decides the fields that have no effect and are refused. */
export interface ExistingResources {
  /** The caller's user pool is used: options that shape a new pool are refused. */
  readonly existingPool?: boolean;
  /** The caller's app client is used: options that shape the user app client are refused. */
  readonly existingClient?: boolean;
}

/**
 * Options that only shape a pool this library creates. With an existing pool they would be ignored
 * (its own settings stay), so they are refused rather than silently dropped.
 */
export const NEW_POOL_FIELDS: readonly (keyof PoolOptions)[] = [
  'featurePlan',
  'selfSignUp',
  'passwordMinLength',
  'mfa',
  'removalPolicy',
  'customAttributes',
  'domainPrefix',
];

/** Options that only shape the user app client this library creates; refused with an existing client. */
export const NEW_CLIENT_FIELDS: readonly (keyof PoolOptions)[] = [
  'passwordAuth',
  'callbackUrls',
  'logoutUrls',
  'userWritableAttributes',
  'accessTokenValidityMinutes',
  'idTokenValidityMinutes',
  'refreshTokenValidityDays',
];

const ALL_FIELDS: readonly string[] = [...CLAIMS_CONFIG_FIELDS, ...POOL_OPTION_FIELDS];
/** The construct's config fields: all of them but the stack's name. */
export const AUTH_CONFIG_FIELDS: readonly string[] = ALL_FIELDS.filter((field) => field !== 'stackName');
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
// Cognito custom attribute names: at most 20 characters after the prefix. Letters, digits and _
// only, so the name is safe everywhere it ends up (construct ids, claims, docs).
const CUSTOM_ATTRIBUTE = /^custom:[A-Za-z0-9_]{1,20}$/;
// Client names double as construct ids and must also pass the shared parser's client id check.
const MACHINE_CLIENT_NAME = /^[A-Za-z0-9_]{1,64}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
// SSM parameter names (PutParameter): letters, digits and _.- , either flat or a /-path of at most
// 15 levels; no aws/ssm prefix in any case; at most 1011 characters (the API's limit is on the ARN-less name).
const SSM_PARAMETER_NAME = /^(?:[A-Za-z0-9_.-]+|(?:\/[A-Za-z0-9_.-]+){1,15})$/;
const SSM_MAX_NAME_LENGTH = 1011;

/**
 * Validates the `hasuraCognito` block and applies every default. Accepts the object from cdk.json
 * or the JSON text given with `-c hasuraCognito='{...}'`. Throws `InvalidInputError` naming the
 * first invalid field, claims field or pool option alike.
 */
export function parseStackConfig(input: unknown, source: string = STACK_CONFIG_CONTEXT_KEY): StackConfig {
  const fields = readObject(input, source);
  refuseUnknownFields(fields, ALL_FIELDS, source);
  const stackName = readString(
    fields.stackName,
    DEFAULT_STACK_NAME,
    fieldPath(source, 'stackName'),
    STACK_NAME,
    'a CloudFormation stack name (a letter, then up to 127 letters, digits or -)',
  );
  const { stackName: _, ...authFields } = fields;
  return deepFreeze({ stackName, ...parseAuthConfig(authFields, source) });
}

/**
 * The block as `HasuraCognitoStack` takes it: the stack's name, and the other fields as they are,
 * the construct's props (which it validates again, with the same parser). Validates the whole block
 * first, so an error names the block's field.
 */
export function splitStackConfig(
  input: unknown,
  source: string = STACK_CONFIG_CONTEXT_KEY,
): { stackName: string; auth: Record<string, unknown> } {
  const { stackName } = parseStackConfig(input, source);
  const { stackName: _, ...auth } = readObject(input, source);
  return { stackName, auth };
}

/**
 * Validates the construct's options (every `hasuraCognito` field but `stackName`) and applies every
 * default, as `parseStackConfig` does for cdk.json: same checks, same messages, `source` naming the
 * block. With an existing pool or client, the options that would have no effect are refused.
 */
export function parseAuthConfig(input: unknown, source: string, existing: ExistingResources = {}): AuthConfig {
  const fields = readObject(input, source);
  refuseUnknownFields(fields, AUTH_CONFIG_FIELDS, source);
  const at = (key: string) => fieldPath(source, key);
  const refuseWith = (names: readonly string[], resource: string, why: string) => {
    for (const name of names) {
      if (fields[name] !== undefined) {
        throw new InvalidInputError(at(name), `no ${name} with an existing ${resource} (${why})`, describe(fields[name]));
      }
    }
  };
  if (existing.existingPool) refuseWith(NEW_POOL_FIELDS, 'userPool', "it shapes a new pool; the existing pool's settings stay as they are");
  if (existing.existingClient) {
    const hasMachineClients = isPlainObject(fields.machineClients) && Object.keys(fields.machineClients).length > 0;
    refuseWith(
      // Machine clients are still created, with accessTokenValidityMinutes.
      NEW_CLIENT_FIELDS.filter((name) => !(hasMachineClients && name === 'accessTokenValidityMinutes')),
      'userPoolClient',
      "it shapes a new app client; the existing client's settings stay as they are",
    );
  }

  // Machine clients are keyed by name here. Names are restricted to characters that are also a
  // valid client id, so the shared parser validates each entry and its errors name the right path.
  const machineClientsInput = fields.machineClients;
  if (machineClientsInput !== undefined && isPlainObject(machineClientsInput)) {
    for (const name of Object.keys(machineClientsInput)) {
      // Prototype names would be lost or confused wherever clients are kept by name.
      if (!MACHINE_CLIENT_NAME.test(name) || PROTOTYPE_NAMES.includes(name)) {
        throw new InvalidInputError(
          fieldPath(at('machineClients'), name),
          'a machine client name (1-64 letters, digits or _), not "__proto__", "constructor" or "prototype"',
          JSON.stringify(name),
        );
      }
    }
  }
  const claimsInput = Object.fromEntries(
    Object.entries(fields).filter(([key]) => (CLAIMS_CONFIG_FIELDS as readonly string[]).includes(key)),
  );
  const parsed = parseClaimsConfig(claimsInput, source);
  const { machineClients, ...claimsWithoutClients } = parsed;
  const claims: ClaimsConfig = Object.freeze({ ...claimsWithoutClients, machineClients: Object.freeze({}) });
  const hasMachineClients = Object.keys(machineClients).length > 0;

  if (claims.tokenUse === 'id' && claims.claimsFormat === 'json') {
    throw new InvalidInputError(
      at('claimsFormat'),
      '"stringified_json" when tokenUse is "id" (the ID token trigger is V1_0, whose claims can only be strings)',
      '"json"',
    );
  }
  checkLambdaEnvironment(claims, machineClients, source);
  const triggerVersion: TriggerVersion = hasMachineClients ? 'V3_0' : claims.tokenUse === 'access' ? 'V2_0' : 'V1_0';

  const featurePlan = readEnum(fields.featurePlan, FEATURE_PLANS, triggerVersion === 'V1_0' ? 'lite' : 'essentials', at('featurePlan'));
  if (featurePlan === 'lite' && triggerVersion !== 'V1_0') {
    throw new InvalidInputError(
      at('featurePlan'),
      `"essentials" or "plus" (the ${triggerVersion} trigger, needed for ${hasMachineClients ? 'machineClients' : 'tokenUse "access"'}, is not available on Lite)`,
      '"lite"',
    );
  }

  const selfSignUp = readBoolean(fields.selfSignUp, false, at('selfSignUp'));
  const passwordMinLength = readInteger(fields.passwordMinLength, 12, 8, 99, at('passwordMinLength'));
  const mfa = readEnum(fields.mfa, MFA_MODES, 'optional', at('mfa'));
  const removalPolicy = readEnum(fields.removalPolicy, REMOVAL_MODES, 'retain', at('removalPolicy'));
  const passwordAuth = readBoolean(fields.passwordAuth, false, at('passwordAuth'));
  const accessTokenValidityMinutes = readInteger(fields.accessTokenValidityMinutes, 60, 5, 1440, at('accessTokenValidityMinutes'));
  const idTokenValidityMinutes = readInteger(fields.idTokenValidityMinutes, 60, 5, 1440, at('idTokenValidityMinutes'));
  const refreshTokenValidityDays = readInteger(fields.refreshTokenValidityDays, 30, 1, 3650, at('refreshTokenValidityDays'));
  const logRetentionDays = readInteger(fields.logRetentionDays, 30, 1, 3653, at('logRetentionDays'));
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new InvalidInputError(at('logRetentionDays'), `one of ${LOG_RETENTION_DAYS.join(', ')}`, String(logRetentionDays));
  }
  const alarmTopicArn = readOptionalString(
    fields.alarmTopicArn,
    at('alarmTopicArn'),
    SNS_TOPIC_ARN,
    'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
  );
  const domainPrefix = readOptionalString(
    fields.domainPrefix,
    at('domainPrefix'),
    DOMAIN_PREFIX,
    'a Cognito domain prefix (1-63 lower-case letters, digits or -)',
  );
  if (domainPrefix !== undefined && /aws|amazon|cognito/.test(domainPrefix)) {
    throw new InvalidInputError(
      at('domainPrefix'),
      'a domain prefix without "aws", "amazon" or "cognito" (Cognito refuses them)',
      JSON.stringify(domainPrefix),
    );
  }
  const jwtSecretParameterName = readOptionalString(
    fields.jwtSecretParameterName,
    at('jwtSecretParameterName'),
    SSM_PARAMETER_NAME,
    'an SSM parameter name (letters, digits, _ . -; a path starts with / and has at most 15 levels)',
  );
  if (
    jwtSecretParameterName !== undefined &&
    (jwtSecretParameterName.length > SSM_MAX_NAME_LENGTH || /^\/?(aws|ssm)/i.test(jwtSecretParameterName))
  ) {
    throw new InvalidInputError(
      at('jwtSecretParameterName'),
      `an SSM parameter name of at most ${SSM_MAX_NAME_LENGTH} characters that does not start with "aws" or "ssm" (SSM refuses those)`,
      describe(jwtSecretParameterName),
    );
  }
  const callbackUrls = readUrls(fields.callbackUrls, at('callbackUrls'));
  const logoutUrls = readUrls(fields.logoutUrls, at('logoutUrls'));
  if (logoutUrls.length > 0 && callbackUrls.length === 0) {
    throw new InvalidInputError(
      at('logoutUrls'),
      'no logout URLs unless callbackUrls is set (OAuth is off without callback URLs)',
      `${logoutUrls.length} URL(s)`,
    );
  }
  // An existing pool has its own domain, or none: the pool's owner decides.
  if (!existing.existingPool && domainPrefix === undefined && (callbackUrls.length > 0 || hasMachineClients)) {
    throw new InvalidInputError(
      at('domainPrefix'),
      `a Cognito domain prefix (required with ${callbackUrls.length > 0 ? 'callbackUrls: the managed login pages live on it' : 'machineClients: their token endpoint lives on it'})`,
      'nothing',
    );
  }

  // Custom attributes: the pool's schema is this list and nothing else. Cognito never removes or
  // changes a custom attribute ("Existing schema attributes cannot be modified or deleted"), so a
  // schema that followed what the claims read would fail the next deploy after an edit.
  const customAttributes = readList(fields.customAttributes, at('customAttributes'), (value, path) => {
    if (typeof value !== 'string' || !CUSTOM_ATTRIBUTE.test(value)) {
      throw new InvalidInputError(path, '"custom:<1-20 letters, digits or _>"', describe(value));
    }
    return value;
  });
  const requireDeclared = (attribute: string, path: string) => {
    // An existing pool's schema is its owner's: its custom attributes are not declared here.
    if (existing.existingPool) return;
    if (!CUSTOM_ATTRIBUTE.test(attribute)) {
      throw new InvalidInputError(
        path,
        '"custom:" followed by 1-20 letters, digits or _ (a custom attribute the stack can create)',
        JSON.stringify(attribute),
      );
    }
    if (!customAttributes.includes(attribute)) {
      throw new InvalidInputError(
        path,
        "a custom attribute declared in customAttributes (add it to customAttributes: the pool's custom attributes are created from that list only)",
        JSON.stringify(attribute),
      );
    }
  };

  // Attributes: what the claims read is never writable by users.
  const claimAttributes = unique([claims.userIdAttribute, ...Object.values(claims.sessionVariables)]);
  const userWritableAttributes = readList(fields.userWritableAttributes, at('userWritableAttributes'), (value, path) => {
    if (typeof value !== 'string' || !(WRITABLE_STANDARD_ATTRIBUTES.includes(value) || CUSTOM_ATTRIBUTE.test(value))) {
      throw new InvalidInputError(
        path,
        'a standard attribute name (e.g. "email") or "custom:<1-20 letters, digits or _>"',
        describe(value),
      );
    }
    if (claimAttributes.includes(value)) {
      throw new InvalidInputError(
        path,
        'an attribute the claims do not read (userIdAttribute and sessionVariables decide roles and ids; users must not write them)',
        JSON.stringify(value),
      );
    }
    if (value.startsWith('custom:')) requireDeclared(value, path);
    return value;
  });
  for (const [name, attribute] of Object.entries(claims.sessionVariables)) {
    if (attribute.startsWith('custom:')) requireDeclared(attribute, fieldPath(at('sessionVariables'), name));
  }
  if (claims.userIdAttribute.startsWith('custom:')) requireDeclared(claims.userIdAttribute, at('userIdAttribute'));
  const writeAttributes = unique([...DEFAULT_USER_WRITABLE_ATTRIBUTES, ...userWritableAttributes])
    .filter((a) => !claimAttributes.includes(a))
    .sort();
  const readAttributes = unique([
    'email',
    'email_verified',
    ...writeAttributes,
    ...claimAttributes.filter((a) => READABLE_STANDARD_ATTRIBUTES.includes(a)),
    ...customAttributes,
  ]).sort();

  return deepFreeze({
    claims,
    machineClients,
    featurePlan,
    selfSignUp,
    passwordMinLength,
    mfa,
    removalPolicy,
    customAttributes,
    userWritableAttributes,
    callbackUrls,
    logoutUrls,
    domainPrefix,
    passwordAuth,
    accessTokenValidityMinutes,
    idTokenValidityMinutes,
    refreshTokenValidityDays,
    logRetentionDays,
    alarmTopicArn,
    jwtSecretParameterName,
    claimAttributes,
    writeAttributes,
    readAttributes,
    triggerVersion,
  });
}

/**
 * Refuses claims whose deployed environment would exceed Lambda's quota (CreateFunction would fail
 * at deploy), naming the map that holds most of it. The environment is the construct's own, with
 * each machine client keyed by an id of the length Cognito generates.
 */
function checkLambdaEnvironment(claims: ClaimsConfig, machineClients: Readonly<Record<string, MachineClientConfig>>, source: string): void {
  const deployed: ClaimsConfig = {
    ...claims,
    machineClients: Object.fromEntries(
      Object.values(machineClients).map((client, i) => [`client${i}`.padEnd(COGNITO_CLIENT_ID_LENGTH, '0'), client]),
    ),
  };
  const bytes = lambdaEnvironmentBytes(lambdaEnvironment(serializeClaimsConfig(deployed)));
  if (bytes <= LAMBDA_ENVIRONMENT_MAX_BYTES) return;
  const maps = ['groupRoles', 'sessionVariables', 'machineClients'] as const;
  const largest = maps.reduce((a, b) => (JSON.stringify(deployed[b]).length > JSON.stringify(deployed[a]).length ? b : a));
  throw new InvalidInputError(
    fieldPath(source, largest),
    `at most ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes of Lambda environment (the claims config is the function's ${CLAIMS_CONFIG_ENV}; fewer or shorter groups, roles, session variables or machine clients)`,
    `${bytes} bytes`,
  );
}

function readUrls(value: unknown, path: string): string[] {
  return readList(value, path, (entry, p) => {
    let url: URL | undefined;
    if (typeof entry === 'string') {
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
    }
    const localhost = url?.protocol === 'http:' && url.hostname === 'localhost';
    if (url === undefined || (url.protocol !== 'https:' && !localhost) || url.hash !== '') {
      throw new InvalidInputError(p, 'an https URL without a fragment (http only for localhost)', describe(entry));
    }
    return entry as string;
  });
}

function readList<T>(value: unknown, path: string, readEntry: (value: unknown, path: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(path, 'an array', describe(value));
  const result = value.map((entry, index) => readEntry(entry, `${path}[${index}]`));
  const seen = new Set<T>();
  result.forEach((entry, index) => {
    if (seen.has(entry)) throw new InvalidInputError(`${path}[${index}]`, 'no duplicate entries', JSON.stringify(entry));
    seen.add(entry);
  });
  return result;
}

function readEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T, path: string): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidInputError(path, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, describe(value));
}

function readBoolean(value: unknown, fallback: boolean, path: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidInputError(path, 'true or false', describe(value));
}

function readInteger(value: unknown, fallback: number, min: number, max: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new InvalidInputError(path, `an integer from ${min} to ${max}`, describe(value));
}

function readString(value: unknown, fallback: string, path: string, pattern: RegExp, expected: string): string {
  return readOptionalString(value, path, pattern, expected) ?? fallback;
}

function readOptionalString(value: unknown, path: string, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && pattern.test(value)) return value;
  throw new InvalidInputError(path, expected, describe(value));
}

/** The block as an object: JSON text is parsed, and nothing at all means every default. */
function readObject(input: unknown, source: string): Record<string, unknown> {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      throw new InvalidInputError(source, 'a JSON object', 'text that is not JSON');
    }
  }
  if (input === undefined || input === null) return {};
  if (!isPlainObject(input)) throw new InvalidInputError(source, 'an object', describe(input));
  return input;
}

function refuseUnknownFields(fields: Record<string, unknown>, known: readonly string[], source: string): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) throw new InvalidInputError(fieldPath(source, key), `one of ${known.join(', ')}`, 'an unknown field');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
