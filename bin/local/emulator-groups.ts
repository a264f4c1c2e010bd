/**
 * cognito-local always sends an empty `groupConfiguration` (a TODO in its source), where Cognito
 * sends the user's groups. This bridge looks the groups up in the emulator itself and presents
 * them as Cognito does, so the local flow runs the real role mapping. It is the only place the
 * local flow departs from what Cognito sends.
 */
import type { LambdaHandler } from './lambda-invoke-server';

interface GroupListing {
  Groups?: { GroupName?: string; RoleArn?: string }[];
  NextToken?: string;
}

/** `AdminListGroupsForUser` against the emulator's JSON API (the emulator checks no signature). */
export async function listGroupsForUser(
  endpoint: string,
  userPoolId: string,
  username: string,
): Promise<{ names: string[]; roles: string[] }> {
  const names: string[] = [];
  const roles: string[] = [];
  let nextToken: string | undefined;
  do {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminListGroupsForUser',
      },
      body: JSON.stringify({ UserPoolId: userPoolId, Username: username, NextToken: nextToken }),
    });
    if (!response.ok) throw new Error(`AdminListGroupsForUser answered HTTP ${response.status}`);
    const page = (await response.json()) as GroupListing;
    for (const group of page.Groups ?? []) {
      if (group.GroupName) names.push(group.GroupName);
      if (group.RoleArn) roles.push(group.RoleArn);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { names, roles };
}

export function withEmulatorGroups(handler: LambdaHandler, endpoint: string): LambdaHandler {
  return async (input) => {
    const event = input as { userPoolId?: string; userName?: string; request?: { groupConfiguration?: unknown } };
    if (event.userPoolId && event.userName && event.request) {
      const groups = await listGroupsForUser(endpoint, event.userPoolId, event.userName);
      event.request.groupConfiguration = { groupsToOverride: groups.names, iamRolesToOverride: groups.roles, preferredRole: null };
    }
    return handler(event);
  };
}
