/**
 * Room to grow (docs/architecture.md, "Resources"): the routes' functions live in nested stacks,
 * one per route area (`area` of each entry of ROUTES, lambda/routes.ts), so that no one
 * CloudFormation stack nears its limit of 500 resources as routes are added. A new route joins
 * its area's stack by its `area` alone; a new area is a row here.
 *
 * Each route costs its area's stack 6 resources (the function, its role, policy and log group,
 * the integration and API Gateway's permission to invoke it) and the parent one: the route
 * itself, which stays where deployed stacks have it (see routeToArea).
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import {
  CfnRoute,
  HttpIntegration,
  HttpIntegrationType,
  type IHttpApi,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { RouteArea, RouteAuth, RouteDefinition } from '../lambda/routes';

/** Each area's nested stack: its construct id (and so its logical id in the parent), and what it holds. */
export const AREA_STACKS: Record<RouteArea, { id: string; description: string }> = {
  readers: {
    id: 'Readers',
    description: "Talkback: the functions of the readers' routes (widget and count snippet)",
  },
  mail: {
    id: 'MailLinks',
    description: "Talkback: the functions of the links in Talkback's mail",
  },
  operators: {
    id: 'Operators',
    description: "Talkback: the functions of the operators' routes (/admin/, IAM)",
  },
};

/** The nested stacks of the areas, each made in the given scope when its first route asks for it. */
export class AreaStacks {
  private readonly stacks = new Map<RouteArea, NestedStack>();

  constructor(private readonly scope: Construct) {}

  /** The nested stack of the area: its functions' scope. */
  of(area: RouteArea): NestedStack {
    const known = this.stacks.get(area);
    if (known) return known;
    const { id, description } = AREA_STACKS[area];
    const stack = new NestedStack(this.scope, id, { description });
    this.stacks.set(area, stack);
    return stack;
  }
}

/**
 * Connects a route to its function, which is in its area's stack: the integration and API
 * Gateway's permission to invoke the function go there too; the route stays in the parent stack
 * (the API's), at the construct path, and so the logical id, that `HttpApi.addRoutes` gave it
 * when every route was in one stack. An API's route keys are unique, so a route created anew in a
 * nested stack would collide with the one it replaces, which CloudFormation deletes only at the
 * end, and fail the deploy (409 ConflictException); kept, it is updated in place to point at its
 * new integration.
 */
export function routeToArea(
  api: IHttpApi & Construct,
  route: Pick<RouteDefinition, 'id' | 'method' | 'path' | 'auth'>,
  fn: IFunction,
  area: NestedStack,
): CfnRoute {
  const integration = new HttpIntegration(area, `${route.id}Integration`, {
    httpApi: api,
    integrationType: HttpIntegrationType.AWS_PROXY,
    integrationUri: fn.functionArn,
    payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
  });
  // As HttpLambdaIntegration grants it: this path, any stage and method.
  fn.addPermission(`${route.id}Invoke`, {
    scope: area,
    principal: new ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: Stack.of(area).formatArn({
      service: 'execute-api',
      resource: api.apiId,
      resourceName: `*/*${route.path}`,
    }),
  });
  // The path HttpApi.addRoutes used: <api>/<METHOD><path>/Resource ('/' becomes '--').
  return new CfnRoute(new Construct(api, `${route.method}${route.path}`), 'Resource', {
    apiId: api.apiId,
    routeKey: `${route.method} ${route.path}`,
    target: `integrations/${integration.integrationId}`,
    authorizationType: authorizationTypeOf(route.auth),
  });
}

/**
 * Operators' routes need a SigV4 request from a principal of the account whose IAM policy
 * allows execute-api:Invoke on them; API Gateway refuses anything else with 403 before a
 * function runs. Public routes have no authorizer.
 */
function authorizationTypeOf(auth: RouteAuth): 'NONE' | 'AWS_IAM' {
  switch (auth) {
    case 'public':
      return 'NONE';
    case 'operator':
      return 'AWS_IAM';
    default:
      return unknownAuth(auth);
  }
}

/** A new RouteAuth kind fails to compile here until authorizationTypeOf handles it. */
function unknownAuth(auth: never): never {
  throw new Error(`no authorizer for route auth ${String(auth)}`);
}
