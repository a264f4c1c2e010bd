/**
 * The users command's operations, over the Cognito SDK's admin API: create a confirmed user with a
 * verified email and a permanent password, change their groups, delete them, list them with their
 * groups. Usernames are emails (the pools sign in with email). The target's client turns every
 * failed request into one CognitoServiceError naming the operation (cognito-errors.ts), so the CLI
 * prints one line and exits 1.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoServiceError } from '../lambda/errors';
import type { CognitoTarget } from './cognito-target';
import { type PasswordPolicy, passwordPolicyOf } from './password';
import { printable } from './terminal-text';

/** The pool's password policy (DescribeUserPool), which generated and given passwords must satisfy. */
export async function poolPasswordPolicy(target: CognitoTarget): Promise<PasswordPolicy> {
  const { UserPool } = await target.cognito.send(new DescribeUserPoolCommand({ UserPoolId: target.userPoolId }));
  return passwordPolicyOf(UserPool?.Policies?.PasswordPolicy);
}

export interface NewUser {
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

/**
 * Creates a confirmed user with a verified email (no invitation is sent), the permanent
 * `password`, in `groups`. Every group is looked up first, and a user whose password or groups
 * cannot be set is deleted again: a failed create leaves no half-made user behind.
 */
export async function createUser(target: CognitoTarget, user: NewUser): Promise<void> {
  const { cognito, userPoolId } = target;
  for (const group of user.groups) await requireGroup(target, group);
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: user.email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  try {
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: user.email, Password: user.password, Permanent: true }),
    );
    for (const group of user.groups) {
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.email, GroupName: group }));
    }
  } catch (error) {
    // The error that stopped the create is the one reported; a failed clean-up cannot hide it.
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: user.email })).catch(() => undefined);
    throw error;
  }
}

/**
 * Fails unless the pool has `group`: the stacks create one group per groupRoles entry, and the
 * commands create none (a group made here would be unknown to the stack and its config).
 */
export async function requireGroup(target: CognitoTarget, group: string): Promise<void> {
  try {
    await target.cognito.send(new GetGroupCommand({ UserPoolId: target.userPoolId, GroupName: group }));
  } catch (error) {
    if (error instanceof CognitoServiceError && error.errorName === 'ResourceNotFoundException') {
      throw new CognitoServiceError(
        `GetGroup ${printable(group)}`,
        error.errorName,
        `user pool ${target.userPoolId} has no group ${printable(group)} (the stack creates one per groupRoles entry)`,
      );
    }
    throw error;
  }
}

/** Adds the user to an existing group (checked first, so a missing group is named as such). */
export async function addUserToGroup(target: CognitoTarget, email: string, group: string): Promise<void> {
  await requireGroup(target, group);
  await target.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: target.userPoolId, Username: email, GroupName: group }));
}

export async function removeUserFromGroup(target: CognitoTarget, email: string, group: string): Promise<void> {
  await target.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: target.userPoolId, Username: email, GroupName: group }));
}

export async function deleteUser(target: CognitoTarget, email: string): Promise<void> {
  await target.cognito.send(new AdminDeleteUserCommand({ UserPoolId: target.userPoolId, Username: email }));
}

/** A user as the listing shows them. */
export interface ListedUser {
  /** The email attribute (the username the user signs in with); the internal username when there is none. */
  readonly email: string;
  /** Cognito's UserStatus, such as CONFIRMED or FORCE_CHANGE_PASSWORD. */
  readonly status: string;
  readonly enabled: boolean;
  /** Their groups, by name, sorted. */
  readonly groups: readonly string[];
}

/**
 * Every user of the pool with their groups, sorted by email: ListUsers, then ListUsersInGroup for
 * each group (one request per group and page rather than one per user).
 */
export async function listUsers(target: CognitoTarget): Promise<ListedUser[]> {
  const { cognito, userPoolId } = target;
  const users: UserType[] = [];
  let paginationToken: string | undefined;
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: paginationToken }));
    users.push(...(page.Users ?? []));
    paginationToken = page.PaginationToken;
  } while (paginationToken);

  const groupNames: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId, NextToken: nextToken }));
    for (const group of page.Groups ?? []) if (group.GroupName !== undefined) groupNames.push(group.GroupName);
    nextToken = page.NextToken;
  } while (nextToken);

  // Internal username -> group names; a Map, so no username can be a prototype property.
  const groupsOf = new Map<string, string[]>();
  for (const group of groupNames) {
    let token: string | undefined;
    do {
      const page = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, NextToken: token }));
      for (const member of page.Users ?? []) {
        if (member.Username === undefined) continue;
        groupsOf.set(member.Username, [...(groupsOf.get(member.Username) ?? []), group]);
      }
      token = page.NextToken;
    } while (token);
  }

  return users
    .map((user) => ({
      email: user.Attributes?.find((a) => a.Name === 'email')?.Value ?? user.Username ?? '',
      status: user.UserStatus ?? 'UNKNOWN',
      enabled: user.Enabled !== false,
      groups: [...(groupsOf.get(user.Username ?? '') ?? [])].sort(),
    }))
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}
