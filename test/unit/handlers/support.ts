import { commentArea } from '../../../lambda/areas';
import type { CommentDeps } from '../../../lambda/domain/comments';
import type { CommentStore } from '../../../lambda/domain/ports';
import type { HttpEvent } from '../../../lambda/http/request';
import type { HttpResult } from '../../../lambda/http/response';
import { type Configuration, loadConfiguration } from '../../../lambda/runtime';
import { bodyOf } from '../../support/events';
import { fixedClock, fixedId, hasher, screeningFor } from '../fakes';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Settings and schemas as a deployment with the default configuration has them. */
export const configuration = loadConfiguration({});

/** Settings and schemas of a deployment configured with these settings. */
export function configurationWith(settings: Record<string, unknown>) {
  return loadConfiguration({ TALKBACK_SETTINGS: JSON.stringify(settings) });
}

/**
 * What a comments handler is built with, on fake ports: `config`, the comments area on `store`
 * with the fixed clock and ids and the test hasher (`extra` replaces or adds to them: a moving
 * clock, a reader verifier), and the screen `config` describes.
 */
export function commentHandlerDeps(
  store: CommentStore,
  config: Configuration = configuration,
  extra: Partial<CommentDeps> = {},
) {
  // A reader verifier is the readers area's (readers/reader-verifier-from.ts), not the comments'.
  const { verifyReader, ...rest } = extra;
  const comments = commentArea({
    ...config,
    store,
    clock: fixedClock,
    newId: fixedId,
    hasher,
    ...rest,
  });
  return {
    ...config,
    areas: {
      comments,
      screening: screeningFor(config.settings),
      readers: verifyReader === undefined ? {} : { verifyReader },
    },
  };
}

/** The event as API Gateway passes it on after IAM (SigV4) authorization succeeded. */
export function asOperator(event: HttpEvent): HttpEvent {
  const requestContext = {
    ...event.requestContext,
    authorizer: {
      iam: {
        accountId: '123456789012',
        callerId: 'AIDAEXAMPLE',
        userArn: 'arn:aws:iam::123456789012:user/operator',
        userId: 'AIDAEXAMPLE',
      },
    },
  };
  return { ...event, requestContext };
}

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
  text: string;
}

export function answer(result: HttpResult): Answer {
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body === undefined ? {} : bodyOf(result),
    text: result.body ?? '',
  };
}

/** The `field` of each entry of a problem's `errors`. */
export function fieldsOf(body: Record<string, unknown>): string[] {
  const errors = body.errors as { field: string }[] | undefined;
  return (errors ?? []).map((error) => error.field);
}
