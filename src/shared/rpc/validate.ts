// Runtime validation at every boundary: params when a call arrives, results and events when they reach
// the caller. A failure becomes a BAD_REQUEST error that names the field and what was wrong with it.
import type { z } from 'zod';
import { StirError } from '../errors.js';
import {
  events,
  isEventName,
  isMethodName,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type ParamsOut,
  type ResultOf,
} from '../contract/index.js';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the request';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

export function parseParams<M extends MethodName>(method: M, raw: unknown): ParamsOut<M> {
  const parsed = methods[method].params.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new StirError('BAD_REQUEST', `Invalid request to ${method}: ${describeIssues(parsed.error)}.`, {
      details: { method },
    });
  }
  return parsed.data as ParamsOut<M>;
}

export function parseResult<M extends MethodName>(method: M, raw: unknown): ResultOf<M> {
  const parsed = methods[method].result.safeParse(raw);
  if (!parsed.success) {
    throw new StirError(
      'INTERNAL',
      `The engine answered ${method} with an invalid result: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data as ResultOf<M>;
}

export function parseEvent<E extends EventName>(event: E, raw: unknown): EventPayload<E> {
  const parsed = events[event].safeParse(raw);
  if (!parsed.success) {
    throw new StirError('INTERNAL', `Invalid ${event} event: ${describeIssues(parsed.error)}.`);
  }
  return parsed.data as EventPayload<E>;
}

export function assertMethodName(name: unknown): MethodName {
  if (!isMethodName(name)) {
    throw new StirError('BAD_REQUEST', `There is no method called ${JSON.stringify(name)}.`);
  }
  return name;
}

export function assertEventName(name: unknown): EventName {
  if (!isEventName(name))
    throw new StirError('BAD_REQUEST', `There is no event called ${JSON.stringify(name)}.`);
  return name;
}
