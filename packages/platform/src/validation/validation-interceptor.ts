import type { DescMessage } from '@bufbuild/protobuf';
import { pathToString } from '@bufbuild/protobuf/reflect';
import { createValidator, type Validator, type Violation } from '@bufbuild/protovalidate';
import type { Interceptor } from '@connectrpc/connect';
import { type FieldViolation, invalidArgument } from '../errors/app-error.js';
import { checkAccess } from './caller-access.js';

export interface ValidationOptions {
  /**
   * Behind the gateway: before naming what is wrong with a request, make sure the method's access
   * level admits the caller, as the gateway's policy does at the edge, so a caller who may not
   * call a method never learns its input rules and an anonymous call with bad input is
   * `unauthenticated` wherever it lands. Valid requests go on to the use cases, which check the
   * caller themselves.
   */
  accessFirst: boolean;
  validator?: Validator;
}

/**
 * Enforces the protovalidate constraints declared in the protos (formats, lengths, ranges,
 * required fields) on every request message before the implementation sees it. A broken rule is
 * `invalid_argument` with one field violation per offender, named by its proto path
 * (`lines[2].quantity`), exactly like the use cases' own violations. The gateway runs it for the
 * public API, each service for everything it serves. Business rules (stock, state transitions,
 * ownership) are not constraints: they stay in the use cases.
 */
export function validationInterceptor(options: ValidationOptions): Interceptor {
  const validator = options.validator ?? createValidator();
  return (next) => async (req) => {
    const check = (message: unknown) => {
      const violations = validate(validator, req.method.input, message);
      if (violations.length === 0) return;
      if (options.accessFirst) checkAccess(req.method, req.header);
      throw invalidArgument(violations);
    };
    if (!req.stream) {
      check(req.message);
      return next(req);
    }
    const messages = req.message;
    return next({
      ...req,
      message: (async function* () {
        for await (const message of messages) {
          check(message);
          yield message;
        }
      })(),
    });
  };
}

function validate(validator: Validator, schema: DescMessage, message: unknown): FieldViolation[] {
  const result = validator.validate(schema, message as never);
  if (result.kind === 'invalid') return result.error.violations.map(toFieldViolation);
  // A rule that does not compile or evaluate is a defect in our protos, not in the request.
  if (result.kind === 'error')
    throw new Error(`validation rules of ${schema.typeName} failed to run`, { cause: result.error });
  return [];
}

/** `lines[2].quantity`, as the use cases name fields; a bad map key is named as the entry. */
export function toFieldViolation(v: Violation): FieldViolation {
  return { field: pathToString(v.field), description: v.forKey ? `key ${v.message}` : v.message };
}
