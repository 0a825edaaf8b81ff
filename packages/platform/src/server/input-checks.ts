import { type DescEnum, type DescMessage, ScalarType } from '@bufbuild/protobuf';
import { type ReflectMessage, reflect } from '@bufbuild/protobuf/reflect';
import type { Interceptor } from '@connectrpc/connect';
import { type FieldViolation, invalidArgument } from '../errors/app-error.js';
import { unknownEnumNames } from './json-paths.js';
import { requestJson } from './request-decoding.js';

const NUL = 'must not contain the NUL character (U+0000)';

/**
 * What no service can take, whatever its own rules, refused for every unary request before the
 * implementation runs, with a field violation per offender:
 * - text containing U+0000, which PostgreSQL cannot store or search (it would fail as `internal`);
 * - an enum number the schema does not define (proto3 enums are open, so it decodes fine and
 *   would otherwise be read as some default);
 * - for JSON requests, an enum name the schema does not know (the lenient decoder dropped it).
 * Business rules stay with the use cases.
 */
export function inputChecks(): Interceptor {
  return (next) => async (req) => {
    if (!req.stream) {
      const violations = messageViolations(req.method.input, req.message);
      if (hasEnums(req.method.input))
        violations.push(...unknownEnumNames(req.method.input, requestJson(req.contextValues)));
      if (violations.length > 0) throw invalidArgument(violations);
    }
    return next(req);
  };
}

/** The violations of one decoded message, named by path (`lines[0].note`, `labels["k"]`). */
export function messageViolations(desc: DescMessage, message: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  walk(reflect(desc, message as never), '', out);
  return out;
}

function walk(r: ReflectMessage, prefix: string, out: FieldViolation[]): void {
  for (const field of r.fields) {
    if (!r.isSet(field)) continue;
    const path = `${prefix}${field.name}`;
    switch (field.fieldKind) {
      case 'scalar':
        text(field.scalar, r.get(field), path, out);
        break;
      case 'enum':
        enumNumber(field.enum, r.get(field), path, out);
        break;
      case 'message':
        walk(r.get(field), `${path}.`, out);
        break;
      case 'list': {
        let i = 0;
        for (const item of r.get(field)) {
          const at = `${path}[${i++}]`;
          if (field.listKind === 'scalar') text(field.scalar, item, at, out);
          else if (field.listKind === 'enum') enumNumber(field.enum, item, at, out);
          else walk(item as ReflectMessage, `${at}.`, out);
        }
        break;
      }
      case 'map':
        for (const [key, value] of r.get(field)) {
          if (typeof key === 'string' && key.includes('\0')) out.push({ field: path, description: `keys ${NUL}` });
          const at = `${path}[${JSON.stringify(String(key).replaceAll('\0', ''))}]`;
          if (field.mapKind === 'scalar') text(field.scalar, value, at, out);
          else if (field.mapKind === 'enum') enumNumber(field.enum, value, at, out);
          else walk(value as ReflectMessage, `${at}.`, out);
        }
        break;
    }
  }
}

function text(type: ScalarType, value: unknown, path: string, out: FieldViolation[]): void {
  if (type === ScalarType.STRING && typeof value === 'string' && value.includes('\0'))
    out.push({ field: path, description: NUL });
}

function enumNumber(e: DescEnum, value: unknown, path: string, out: FieldViolation[]): void {
  if (typeof value === 'number' && !e.values.some((v) => v.number === value)) {
    out.push({
      field: path,
      description: `unknown value ${value}; expected one of ${e.values.map((v) => v.name).join(', ')}`,
    });
  }
}

const enumBearing = new WeakMap<DescMessage, boolean>();

/** Whether a JSON request of this type can carry enum names at all (most cannot: no second parse). */
function hasEnums(desc: DescMessage, visiting = new Set<DescMessage>()): boolean {
  const known = enumBearing.get(desc);
  if (known !== undefined) return known;
  if (visiting.has(desc) || desc.typeName.startsWith('google.protobuf.')) return false;
  visiting.add(desc);
  const result = desc.fields.some((f) => {
    if (f.fieldKind === 'enum') return true;
    if (f.fieldKind === 'list' || f.fieldKind === 'map') {
      const kind = f.fieldKind === 'list' ? f.listKind : f.mapKind;
      return kind === 'enum' || (kind === 'message' && f.message !== undefined && hasEnums(f.message, visiting));
    }
    return f.fieldKind === 'message' && hasEnums(f.message, visiting);
  });
  if (visiting.size === 1) enumBearing.set(desc, result);
  visiting.delete(desc);
  return result;
}
