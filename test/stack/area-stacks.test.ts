/**
 * The routes' functions in nested stacks, one per route area (lib/area-stacks.ts), and the
 * routes themselves left where deployed stacks have them, so that an update moves each
 * function without re-creating its route.
 */
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import { AREA_STACKS } from '../../lib/area-stacks';
import { allFunctions, buildStack, TALLY_FUNCTION_ID } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

const { stack } = buildStack();
const parent = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;

describe('area stacks', () => {
  it("builds each route's function in its area's nested stack", () => {
    const functions = allFunctions(stack);
    for (const route of ROUTES) {
      const home = Stack.of(functions[route.id] as Construct);
      expect([route.id, NestedStack.isNestedStack(home), home.node.id]).toEqual([
        route.id,
        true,
        AREA_STACKS[route.area].id,
      ]);
    }
  });

  it('keeps the fallback and the functions that serve no route in the parent', () => {
    const functions = allFunctions(stack);
    for (const id of [FALLBACK_ROUTE.id, TALLY_FUNCTION_ID]) {
      expect(Stack.of(functions[id] as Construct)).toBe(stack);
    }
  });

  it('puts a function, its role, policy, log group, integration and permission in the area', () => {
    const operators = stack.node
      .findAll()
      .find((c) => NestedStack.isNestedStack(c) && c.node.id === AREA_STACKS.operators.id);
    const template = Template.fromStack(operators as Stack);
    const count = ROUTES.filter((route) => route.area === 'operators').length;
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::IAM::Policy',
      'AWS::Logs::LogGroup',
      'AWS::ApiGatewayV2::Integration',
      'AWS::Lambda::Permission',
    ]) {
      template.resourceCountIs(type, count);
    }
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
  });

  it('marks exactly the /admin/ routes, the operator ones, as the operators area', () => {
    for (const route of ROUTES) {
      const operators = route.path.startsWith('/admin/') && route.auth === 'operator';
      expect([route.id, route.area === 'operators']).toEqual([route.id, operators]);
    }
  });

  it('holds one nested stack per area in the parent', () => {
    const nested = Object.values(parent).filter(
      (resource) => resource.Type === 'AWS::CloudFormation::Stack',
    );
    expect(nested).toHaveLength(new Set(ROUTES.map((route) => route.area)).size);
  });
});

describe('the routes, in the parent stack', () => {
  /**
   * The logical ids HttpApi.addRoutes gives the routes of an API at Talkback/Api/HttpApi, as
   * every deployed stack made them before the area stacks.
   */
  function idsFromAddRoutes(): Map<string, string> {
    const probe = new Stack(new App(), 'Talkback');
    const api = new HttpApi(new Construct(probe, 'Api'), 'HttpApi', { createDefaultStage: false });
    const integration = new HttpUrlIntegration('Probe', 'https://example.com');
    const ids = new Map<string, string>();
    for (const route of ROUTES) {
      const [made] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
      });
      const resource = made?.node.defaultChild as Construct & { logicalId: string };
      ids.set(`${route.method} ${route.path}`, probe.resolve(resource.logicalId) as string);
    }
    return ids;
  }

  it('keep the logical ids they were deployed with, so an update changes them in place', () => {
    const routes = Object.entries(parent).filter(
      ([, resource]) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.RouteKey !== '$default',
    );
    expect(
      new Map(routes.map(([id, resource]) => [String(resource.Properties.RouteKey), id])),
    ).toEqual(idsFromAddRoutes());
    // Two as deployed, literally.
    expect(parent.ApiHttpApiGETadmincomments61645418?.Properties.RouteKey).toBe(
      'GET /admin/comments',
    );
    expect(parent.ApiHttpApiPOSTarticlesarticleIdcomments3873318A?.Properties.RouteKey).toBe(
      'POST /articles/{articleId}/comments',
    );
  });
});
