/**
 * `HasuraCognitoAuth`: a Cognito user pool whose tokens Hasura accepts, wired to the pre token
 * generation Lambda. Usable in any stack; `HasuraCognitoStack` is one such stack. The pool is new,
 * or the caller's: one of the same stack (`cognito.UserPool`), or an imported one.
 *
 * Security defaults that the config cannot loosen (only the explicit escape hatches can):
 * - the user app client's writeAttributes are explicit and never contain an attribute the claims
 *   read, so users cannot grant themselves roles or session variables;
 * - roles come from user pool groups, which only administrators can change;
 * - OAuth is off unless callback URLs are configured, and then only the code grant.
 */
import {
  ArnFormat,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_cognito as cognito,
  Duration,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  Names,
  RemovalPolicy,
  Stack,
  aws_sns as sns,
  aws_ssm as ssm,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type ClaimsConfig, type MachineClientConfig, type StandardAttribute, serializeClaimsConfig } from '../lambda/claims-config';
import { InvalidInputError } from '../lambda/errors';
import { PreTokenTriggerAttachment } from './existing-pool/pre-token-trigger-attachment';
import { buildHasuraJwtSecret, cognitoIssuer, cognitoJwksUrl } from './hasura-jwt-secret';
import { PRE_TOKEN_GENERATION_HANDLER, preTokenGenerationCode } from './lambda-code';
import {
  type AuthConfig,
  type FeaturePlanName,
  type HasuraCognitoOptions,
  lambdaEnvironment,
  parseAuthConfig,
  type TriggerVersion,
} from './stack-config';

/** The resource server machine clients get their scope from. */
export const HASURA_RESOURCE_SERVER_ID = 'hasura';
/** The one scope of that resource server: `hasura/graphql`. */
export const HASURA_GRAPHQL_SCOPE = 'graphql';
/** Cognito waits at most 5 s for a trigger; a longer Lambda timeout buys nothing. */
export const PRE_TOKEN_TIMEOUT_SECONDS = 5;
export const PRE_TOKEN_MEMORY_MB = 256;

/**
 * What `HasuraCognitoAuth` is built from: every field of cdk.json's `hasuraCognito` block but
 * `stackName` (same names, defaults and validation), an optional existing pool and app client, and
 * escape hatches.
 */
export interface HasuraCognitoAuthProps extends HasuraCognitoOptions {
  /**
   * An existing user pool to use instead of a new one: a `cognito.UserPool` of the same stack, or
   * one imported with `UserPool.fromUserPoolId` / `fromUserPoolArn`. The groups, the trigger and
   * (unless `userPoolClient` is given) the app client are added to it. Options that shape a new
   * pool (featurePlan, mfa, passwordMinLength, selfSignUp, removalPolicy, customAttributes,
   * domainPrefix) are refused with it.
   */
  readonly userPool?: cognito.IUserPool;
  /**
   * An existing app client of `userPool` that users sign in with; Hasura's audience is that client.
   * It must not let users write an attribute the claims read: checked at synth for a client of the
   * same stack, at deploy for an imported one. Options that shape a new client are refused with it.
   */
  readonly userPoolClient?: cognito.IUserPoolClient;
  /**
   * Escape hatch: overrides applied on top of the computed user pool props (a new pool only).
   * Overriding security settings is your responsibility.
   */
  readonly userPoolProps?: Partial<cognito.UserPoolProps>;
  /**
   * Escape hatch: overrides applied on top of the computed user app client options (a new client
   * only). Setting `writeAttributes` here can let users write role-bearing attributes.
   */
  readonly clientProps?: Partial<cognito.UserPoolClientOptions>;
  /** Topic for alarm notifications; takes precedence over `alarmTopicArn`. */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The SMS role of an imported `userPool` that sends SMS (its SmsConfiguration's SnsCallerArn):
   * writing the pool back passes the role to Cognito again, which needs iam:PassRole on it. Without
   * it, such a pool fails the deploy with a message naming the role.
   */
  readonly smsRole?: iam.IRole;
}

/** How construction errors name the props: `HasuraCognitoAuth props.groupRoles: expected …`. */
export const AUTH_PROPS_SOURCE = 'HasuraCognitoAuth props';

const FEATURE_PLANS: Record<FeaturePlanName, cognito.FeaturePlan> = {
  lite: cognito.FeaturePlan.LITE,
  essentials: cognito.FeaturePlan.ESSENTIALS,
  plus: cognito.FeaturePlan.PLUS,
};

const LAMBDA_VERSIONS: Record<TriggerVersion, cognito.LambdaVersion> = {
  V1_0: cognito.LambdaVersion.V1_0,
  V2_0: cognito.LambdaVersion.V2_0,
  V3_0: cognito.LambdaVersion.V3_0,
};

/** Standard attribute name -> the CDK mask key that stands for it (every one but `sub`, which has none). */
const STANDARD_ATTRIBUTE_MASK: Record<Exclude<StandardAttribute, 'sub'>, keyof cognito.StandardAttributesMask> = {
  address: 'address',
  birthdate: 'birthdate',
  email: 'email',
  email_verified: 'emailVerified',
  family_name: 'familyName',
  gender: 'gender',
  given_name: 'givenName',
  locale: 'locale',
  middle_name: 'middleName',
  name: 'fullname',
  nickname: 'nickname',
  phone_number: 'phoneNumber',
  phone_number_verified: 'phoneNumberVerified',
  picture: 'profilePicture',
  preferred_username: 'preferredUsername',
  profile: 'profilePage',
  updated_at: 'lastUpdateTime',
  website: 'website',
  zoneinfo: 'timezone',
};

/** Builds CDK ClientAttributes from attribute names such as `email` and `custom:org_id`. */
export function clientAttributes(names: readonly string[]): cognito.ClientAttributes {
  const mask: { -readonly [K in keyof cognito.StandardAttributesMask]: boolean } = {};
  const custom: string[] = [];
  for (const name of names) {
    if (name.startsWith('custom:')) {
      custom.push(name.slice('custom:'.length));
    } else {
      if (!Object.hasOwn(STANDARD_ATTRIBUTE_MASK, name)) throw new Error(`No CDK attribute mask for ${JSON.stringify(name)}`);
      const key = STANDARD_ATTRIBUTE_MASK[name as keyof typeof STANDARD_ATTRIBUTE_MASK];
      mask[key] = true;
    }
  }
  return new cognito.ClientAttributes().withStandardAttributes(mask).withCustomAttributes(...custom);
}

/**
 * A Cognito user pool whose tokens Hasura accepts: the pool (new, or the caller's), its public app
 * client (and machine clients), the groups, and the pre token generation Lambda that adds the Hasura
 * claims. `hasuraJwtSecret` is the value for `HASURA_GRAPHQL_JWT_SECRET`. Construction throws
 * `InvalidInputError` naming the prop of a config the pool cannot honour.
 */
export class HasuraCognitoAuth extends Construct {
  /** The user pool: the one created here, or the `userPool` given. */
  readonly userPool: cognito.IUserPool;
  /** The public client (no secret) that users sign in with: created here, or the `userPoolClient` given. */
  readonly userPoolClient: cognito.IUserPoolClient;
  readonly preTokenGenerationFunction: lambda.Function;
  readonly logGroup: logs.LogGroup;
  /** Machine client name -> its confidential client (client-credentials grant). */
  readonly machineClients: Readonly<Record<string, cognito.UserPoolClient>>;
  readonly resourceServer?: cognito.UserPoolResourceServer;
  /** The Cognito domain; present when a new pool has callback URLs or machine clients. */
  readonly domain?: cognito.UserPoolDomain;
  /** Fires when the trigger errors or is throttled (both block sign-in). */
  readonly alarm: cloudwatch.Alarm;
  /** The validated config, every default applied. */
  readonly config: AuthConfig;
  /** The trigger version registered on the pool. */
  readonly triggerVersion: TriggerVersion;
  /** `iss` of the pool's tokens. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Client ids Hasura accepts as `aud`: the user client first, then every machine client. */
  readonly clientIds: readonly string[];
  /**
   * The value for HASURA_GRAPHQL_JWT_SECRET (a string with CDK tokens), built by the same function
   * as the generator's: pass it to a Hasura container of the same app, e.g. as an ECS environment
   * variable.
   */
  readonly hasuraJwtSecret: string;
  /** The SSM String parameter holding `hasuraJwtSecret`, when `jwtSecretParameterName` is set. */
  readonly jwtSecretParameter?: ssm.StringParameter;
  /** The custom resource that attaches the trigger to an imported pool; absent for a pool of this stack. */
  readonly poolTriggerAttachment?: PreTokenTriggerAttachment;

  constructor(scope: Construct, id: string, props: HasuraCognitoAuthProps = {}) {
    super(scope, id);
    const { userPool: existingPool, userPoolClient: existingClient, userPoolProps, clientProps, alarmTopic, smsRole, ...options } = props;
    const stack = Stack.of(this);
    if (existingClient !== undefined && existingPool === undefined) {
      throw new InvalidInputError(
        `${AUTH_PROPS_SOURCE}.userPool`,
        'the user pool of userPoolClient (an existing client needs its pool)',
        'nothing',
      );
    }
    refuseEscapeHatch(userPoolProps, existingPool, 'userPoolProps', 'userPool');
    refuseEscapeHatch(clientProps, existingClient, 'clientProps', 'userPoolClient');
    if (smsRole !== undefined && (existingPool === undefined || existingPool instanceof cognito.UserPool)) {
      throw new InvalidInputError(
        `${AUTH_PROPS_SOURCE}.smsRole`,
        "no smsRole unless userPool is an imported pool (it lets the attachment pass that pool's SMS role back to Cognito)",
        'a role',
      );
    }
    const config = parseAuthConfig(options, AUTH_PROPS_SOURCE, {
      existingPool: existingPool !== undefined,
      existingClient: existingClient !== undefined,
    });
    this.config = config;
    this.triggerVersion = config.triggerVersion;
    // removalPolicy "retain": the pool is Retain and deletion-protected. Not RetainExceptOnCreate:
    // a failed first deploy would then delete the pool, which deletion protection refuses (the
    // AWS::Cognito::UserPool delete handler holds only cognito-idp:DeleteUserPool and cannot turn it
    // off), so the rollback itself would fail. What goes with the pool (groups, domain, log group) is
    // RetainExceptOnCreate: kept when the stack is deleted, removed when the deploy that created it
    // rolls back, so a retry does not trip over a group or domain left behind. README "Tear the stack down".
    const retain = config.removalPolicy === 'retain';
    const companionRemovalPolicy = retain ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
    const hasMachineClients = Object.keys(config.machineClients).length > 0;

    // --- User pool -------------------------------------------------------------------------------
    const ownPool = existingPool === undefined ? this.createUserPool(config, userPoolProps) : sameStackPool(existingPool, this);
    this.userPool = ownPool ?? (existingPool as cognito.IUserPool);
    if (ownPool !== undefined && existingPool !== undefined) checkSameStackPool(ownPool, config.triggerVersion);
    if (ownPool === undefined) checkImportedPoolRegion(this.userPool, stack);

    // --- Groups: one per groupRoles entry, precedence in config order ------------------------------
    Object.keys(config.claims.groupRoles).forEach((groupName, precedence) => {
      const group = this.userPool.addGroup(`Group${groupName.replace(/\//g, '%2F')}`, {
        groupName,
        precedence,
        description: `Hasura role ${config.claims.groupRoles[groupName]}`,
      });
      group.applyRemovalPolicy(companionRemovalPolicy);
    });

    // --- Domain (managed login and the M2M token endpoint) ----------------------------------------
    if (config.domainPrefix !== undefined) {
      this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: config.domainPrefix } });
      // Kept with the pool: a released prefix can be registered by any account, under the URL users know.
      this.domain.applyRemovalPolicy(companionRemovalPolicy);
    }

    // --- User app client ---------------------------------------------------------------------------
    if (existingClient !== undefined) {
      checkSameStackClient(existingClient, this.userPool, config);
      this.userPoolClient = existingClient;
    } else {
      this.userPoolClient = this.createUserClient(config, clientProps);
    }

    // --- Machine clients (client-credentials grant) -------------------------------------------------
    // Keyed by names from the config: no prototype, so no name can be anything but an entry.
    const machineClients: Record<string, cognito.UserPoolClient> = Object.create(null);
    if (hasMachineClients) {
      const scope = new cognito.ResourceServerScope({
        scopeName: HASURA_GRAPHQL_SCOPE,
        scopeDescription: 'Call the Hasura GraphQL API as a machine client',
      });
      this.resourceServer = this.userPool.addResourceServer('HasuraResourceServer', {
        identifier: HASURA_RESOURCE_SERVER_ID,
        userPoolResourceServerName: 'Hasura',
        scopes: [scope],
      });
      for (const name of Object.keys(config.machineClients)) {
        machineClients[name] = this.userPool.addClient(`MachineClient${name}`, {
          userPoolClientName: name,
          generateSecret: true,
          // Only refresh (unused by client credentials): no user can sign in through this client.
          authFlows: { userSrp: false, userPassword: false, custom: false, adminUserPassword: false },
          preventUserExistenceErrors: true,
          enableTokenRevocation: true,
          accessTokenValidity: Duration.minutes(config.accessTokenValidityMinutes),
          readAttributes: new cognito.ClientAttributes(),
          writeAttributes: new cognito.ClientAttributes(),
          supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
          oAuth: {
            flows: { clientCredentials: true },
            scopes: [cognito.OAuthScope.resourceServer(this.resourceServer, scope)],
          },
        });
      }
    }
    this.machineClients = machineClients;

    // --- Pre token generation Lambda ----------------------------------------------------------------
    this.logGroup = new logs.LogGroup(this, 'PreTokenGenerationLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: companionRemovalPolicy,
    });
    // The trigger calls no AWS API; it only writes its own log group. grantWrite allows
    // CreateLogStream and PutLogEvents on the group's ARN, which ends in `:*` and so covers its
    // streams. No AWSLambdaBasicExecutionRole: it allows those and CreateLogGroup on every log group.
    const role = new iam.Role(this, 'PreTokenGenerationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Cognito pre token generation trigger: writes its own log group, nothing else',
    });
    this.logGroup.grantWrite(role);
    // With machine clients, the function's environment holds their client ids, and a client
    // depends on the pool. A pool of this stack then cannot depend on the function (cycle), so it
    // gets the function's ARN built from an explicit name instead of a reference.
    const functionName =
      hasMachineClients && ownPool !== undefined
        ? `${Names.uniqueResourceName(this, { maxLength: 64 - '-PreToken'.length, separator: '-' })}-PreToken`
        : undefined;
    const runtime = lambda.Runtime.NODEJS_24_X;
    this.preTokenGenerationFunction = new lambda.Function(this, 'PreTokenGeneration', {
      code: preTokenGenerationCode(runtime),
      handler: PRE_TOKEN_GENERATION_HANDLER,
      ...(functionName !== undefined ? { functionName } : {}),
      description: 'Cognito pre token generation: Hasura claims',
      runtime,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(PRE_TOKEN_TIMEOUT_SECONDS),
      memorySize: PRE_TOKEN_MEMORY_MB,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: this.logGroup,
      role,
      environment: lambdaEnvironment(this.lambdaClaimsConfig()),
    });

    if (ownPool !== undefined) {
      this.addTriggerToPool(ownPool, functionName);
    } else {
      // CDK has no addTrigger on an imported pool: a custom resource reads the pool and writes it
      // back with only this trigger changed, and checks an imported client's WriteAttributes.
      this.poolTriggerAttachment = new PreTokenTriggerAttachment(this, 'PreTokenTriggerAttachment', {
        userPool: this.userPool,
        trigger: this.preTokenGenerationFunction,
        triggerVersion: config.triggerVersion,
        claimAttributes: config.claimAttributes,
        ...(existingClient !== undefined && !(existingClient instanceof cognito.UserPoolClient)
          ? { userPoolClientId: existingClient.userPoolClientId }
          : {}),
        ...(smsRole !== undefined ? { smsRole } : {}),
      });
    }

    // --- Alarm: a failing or throttled trigger blocks every sign-in -----------------------------
    this.alarm = this.createAlarm(alarmTopic);

    // --- What Hasura needs ---------------------------------------------------------------------
    const location = { region: this.userPool.env.region, userPoolId: this.userPool.userPoolId };
    this.issuer = cognitoIssuer(location);
    this.jwksUrl = cognitoJwksUrl(location);
    this.clientIds = [this.userPoolClient.userPoolClientId, ...Object.values(machineClients).map((c) => c.userPoolClientId)];
    this.hasuraJwtSecret = stack.toJsonString(
      buildHasuraJwtSecret({
        ...location,
        clientIds: this.clientIds,
        namespace: config.claims.namespace,
        claimsFormat: config.claims.claimsFormat,
      }),
    );
    if (config.jwtSecretParameterName !== undefined) {
      this.jwtSecretParameter = new ssm.StringParameter(this, 'HasuraJwtSecretParameter', {
        parameterName: config.jwtSecretParameterName,
        stringValue: this.hasuraJwtSecret,
        description: 'HASURA_GRAPHQL_JWT_SECRET for Hasura (public values: issuer, JWKS URL, audience, claims namespace)',
        tier: ssm.ParameterTier.STANDARD,
      });
    }
  }

  private createUserPool(config: AuthConfig, userPoolProps: Partial<cognito.UserPoolProps> | undefined): cognito.UserPool {
    const retain = config.removalPolicy === 'retain';
    const pool = new cognito.UserPool(this, 'UserPool', {
      featurePlan: FEATURE_PLANS[config.featurePlan],
      ...(config.featurePlan === 'plus' ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      selfSignUpEnabled: config.selfSignUp,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email only replaces the old one once verified, so nobody takes over an address.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: Object.fromEntries(
        config.customAttributes.map((name) => [
          name.slice('custom:'.length),
          // Mutable so administrators can change them; users only write those listed as user-writable.
          new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        ]),
      ),
      passwordPolicy: {
        minLength: config.passwordMinLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: { optional: cognito.Mfa.OPTIONAL, required: cognito.Mfa.REQUIRED, off: cognito.Mfa.OFF }[config.mfa],
      ...(config.mfa === 'off' ? {} : { mfaSecondFactor: { sms: false, otp: true } }),
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...userPoolProps,
    });
    if (config.featurePlan !== 'plus') {
      Validations.of(pool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          config.featurePlan === 'essentials'
            ? 'Essentials is enough for access token customization (V2_0/V3_0 triggers); Plus adds threat protection at a higher per-MAU price. Set featurePlan "plus" to get it.'
            : 'Lite is enough for ID token customization (V1_0 trigger) and is the cheapest plan; set featurePlan "plus" for threat protection.',
      });
    }
    if (config.mfa !== 'required') {
      Validations.of(pool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          config.mfa === 'optional'
            ? 'MFA is optional (TOTP): every user can turn it on; requiring it is a product decision (set mfa "required").'
            : 'MFA is off because the config says mfa "off" (explicit operator choice, documented risk).',
      });
    }
    return pool;
  }

  private createUserClient(config: AuthConfig, clientProps: Partial<cognito.UserPoolClientOptions> | undefined): cognito.UserPoolClient {
    const oauth = config.callbackUrls.length > 0;
    return this.userPool.addClient('UserPoolClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: config.passwordAuth, custom: false, adminUserPassword: false },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      readAttributes: clientAttributes(config.readAttributes),
      writeAttributes: clientAttributes(config.writeAttributes),
      accessTokenValidity: Duration.minutes(config.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(config.idTokenValidityMinutes),
      refreshTokenValidity: Duration.days(config.refreshTokenValidityDays),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      ...(oauth
        ? {
            oAuth: {
              // Code grant only (use PKCE in the app); never the implicit grant.
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
              callbackUrls: [...config.callbackUrls],
              ...(config.logoutUrls.length > 0 ? { logoutUrls: [...config.logoutUrls] } : {}),
            },
          }
        : { disableOAuth: true }),
      ...clientProps,
    });
  }

  /** A pool of this stack (new, or the caller's): CDK's own addTrigger, which also grants Cognito the invoke. */
  private addTriggerToPool(pool: cognito.UserPool, functionName: string | undefined): void {
    const operation = cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG;
    const version = LAMBDA_VERSIONS[this.config.triggerVersion];
    if (functionName === undefined) {
      pool.addTrigger(operation, this.preTokenGenerationFunction, version);
      return;
    }
    const triggerRef = lambda.Function.fromFunctionAttributes(this, 'PreTokenGenerationTriggerRef', {
      functionArn: Stack.of(this).formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      sameEnvironment: true,
    });
    pool.addTrigger(operation, triggerRef, version);
    // addTrigger created Cognito's invoke permission (under the pool); it must wait for the function.
    for (const child of pool.node.findAll()) {
      if (child instanceof lambda.CfnPermission) child.node.addDependency(this.preTokenGenerationFunction);
    }
  }

  private createAlarm(alarmTopic: sns.ITopic | undefined): cloudwatch.Alarm {
    const stack = Stack.of(this);
    const period = Duration.minutes(5);
    const alarm = new cloudwatch.Alarm(this, 'PreTokenGenerationFailures', {
      alarmDescription:
        'The Cognito pre token generation trigger failed or was throttled; sign-ins and token refreshes fail while this lasts.',
      metric: new cloudwatch.MathExpression({
        expression: 'errors + throttles',
        label: 'Errors + Throttles',
        period,
        usingMetrics: {
          errors: this.preTokenGenerationFunction.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
          throttles: this.preTokenGenerationFunction.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        },
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const topic =
      alarmTopic ??
      (this.config.alarmTopicArn !== undefined ? sns.Topic.fromTopicArn(this, 'AlarmTopic', this.config.alarmTopicArn) : undefined);
    if (topic !== undefined) {
      // CloudWatch publishes alarm actions only to a topic in the alarm's region; PutMetricAlarm
      // refuses another ("Invalid region … specified"). Checked here when both regions are known;
      // an environment-agnostic stack learns it at deploy. Another account's topic is allowed: it
      // works when the topic's access policy lets cloudwatch.amazonaws.com publish.
      if (!Token.isUnresolved(stack.region) && !Token.isUnresolved(topic.env.region) && topic.env.region !== stack.region) {
        throw new InvalidInputError(
          `${AUTH_PROPS_SOURCE}.${alarmTopic !== undefined ? 'alarmTopic' : 'alarmTopicArn'}`,
          `an SNS topic in ${stack.region}, the stack's region (CloudWatch alarm actions cannot publish to another region)`,
          `a topic in ${topic.env.region}`,
        );
      }
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(topic));
    }
    return alarm;
  }

  /** HASURA_CLAIMS_CONFIG: the validated claims, with machine clients keyed by their real ids. */
  private lambdaClaimsConfig(): string {
    const names = Object.keys(this.config.machineClients);
    if (names.length === 0) return serializeClaimsConfig(this.config.claims);
    const machineClients: Record<string, MachineClientConfig> = Object.fromEntries(
      names.map((name) => [this.machineClients[name].userPoolClientId, this.config.machineClients[name]]),
    );
    const claims: ClaimsConfig = { ...this.config.claims, machineClients };
    return Stack.of(this).toJsonString(claims);
  }
}

/** An escape hatch for a resource the caller brings would be silently ignored: refused instead. */
function refuseEscapeHatch(value: object | undefined, existing: object | undefined, name: string, existingName: string): void {
  if (value !== undefined && existing !== undefined) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.${name}`,
      `no ${name} with an existing ${existingName} (it overrides what a new one is created with)`,
      'overrides',
    );
  }
}

/**
 * The caller's pool as a `cognito.UserPool` of this construct's stack, or `undefined` for an
 * imported pool. A pool of another stack is refused: the pool's trigger would reference this
 * stack's function while this stack references the pool, a cycle CloudFormation cannot deploy.
 */
function sameStackPool(pool: cognito.IUserPool, auth: Construct): cognito.UserPool | undefined {
  if (!(pool instanceof cognito.UserPool)) return undefined;
  if (Stack.of(pool) !== Stack.of(auth)) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.userPool`,
      `a user pool of the stack ${Stack.of(auth).node.path} (or one imported with UserPool.fromUserPoolId: a pool of another stack and this construct would reference each other)`,
      `a pool of the stack ${Stack.of(pool).node.path}`,
    );
  }
  return pool;
}

/** What CDK would only find at deploy, refused at synth for a pool of this stack: another trigger, or Lite with V2_0/V3_0. */
function checkSameStackPool(pool: cognito.UserPool, triggerVersion: TriggerVersion): void {
  const cfn = pool.node.defaultChild as cognito.CfnUserPool;
  const lambdaConfig = (Stack.of(pool).resolve(cfn.lambdaConfig) ?? {}) as Record<string, unknown>;
  const attached = ['preTokenGeneration', 'preTokenGenerationConfig'].filter((key) => lambdaConfig[key] !== undefined);
  if (attached.length > 0) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.userPool`,
      'a user pool without a pre token generation trigger (a pool has one; this construct attaches its own)',
      `a pool with ${attached.join(' and ')} set`,
    );
  }
  if (triggerVersion !== 'V1_0' && cfn.userPoolTier === cognito.FeaturePlan.LITE) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.userPool`,
      `a user pool on the Essentials or Plus feature plan (the ${triggerVersion} trigger that access tokens and machine clients need is not available on Lite)`,
      'a pool with featurePlan LITE',
    );
  }
}

/** Cognito invokes only a trigger of the pool's own region. */
function checkImportedPoolRegion(pool: cognito.IUserPool, stack: Stack): void {
  const region = pool.env.region;
  if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region !== stack.region) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.userPool`,
      `a user pool in ${stack.region}, the stack's region (Cognito invokes only a Lambda trigger of its own region)`,
      `a pool in ${region}`,
    );
  }
}

/**
 * A client of this stack is checked here: it must be of the pool, and must not let users write an
 * attribute the claims read (no WriteAttributes at all means every attribute is writable). An
 * imported client is checked at deploy by the trigger attachment, which needs an imported pool:
 * an imported client of a pool of this stack cannot be checked, and is refused.
 */
function checkSameStackClient(client: cognito.IUserPoolClient, pool: cognito.IUserPool, config: AuthConfig): void {
  if (!(client instanceof cognito.UserPoolClient)) {
    if (pool instanceof cognito.UserPool) {
      throw new InvalidInputError(
        `${AUTH_PROPS_SOURCE}.userPoolClient`,
        "an app client of this stack's userPool (an imported client's writeAttributes can only be checked on an imported pool)",
        'an imported client',
      );
    }
    return;
  }
  const cfn = client.node.defaultChild as cognito.CfnUserPoolClient;
  const stack = Stack.of(client);
  if (JSON.stringify(stack.resolve(cfn.userPoolId)) !== JSON.stringify(stack.resolve(pool.userPoolId))) {
    throw new InvalidInputError(`${AUTH_PROPS_SOURCE}.userPoolClient`, 'an app client of userPool', 'a client of another pool');
  }
  const readByClaims = config.claimAttributes.filter((attribute) => attribute !== 'sub');
  const writable = cfn.writeAttributes;
  const found = writable === undefined ? readByClaims : readByClaims.filter((attribute) => writable.includes(attribute));
  if (found.length > 0) {
    throw new InvalidInputError(
      `${AUTH_PROPS_SOURCE}.userPoolClient`,
      'an app client whose writeAttributes leave out every attribute the claims read (users could otherwise give themselves roles or session variables)',
      writable === undefined
        ? `a client with no writeAttributes (all writable), and the claims read ${found.join(', ')}`
        : `writable ${found.join(', ')}`,
    );
  }
}
