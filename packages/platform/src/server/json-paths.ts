import { type DescEnum, type DescField, type DescMessage, type JsonValue, fromJson } from '@bufbuild/protobuf';
import type { FieldViolation } from '../errors/app-error.js';

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Well-known types have their own JSON forms (a Timestamp is a string): never walked into. */
const isWellKnown = (m: DescMessage) => m.typeName.startsWith('google.protobuf.');

const WELL_KNOWN_FORMS: Record<string, string> = {
  'google.protobuf.Timestamp': 'must be an RFC 3339 date-time such as "2026-01-31T09:30:00Z"',
  'google.protobuf.Duration': 'must be a duration in seconds such as "1.5s"',
  'google.protobuf.FieldMask': 'must be a string of comma-separated lowerCamelCase paths',
};

/**
 * The field that makes `json` undecodable as `desc`, named by its path in the request
 * (`delivery_address`, `lines[0].quantity`), with what is wrong with it. protobuf-es names a scalar
 * field it cannot decode but not where it sits, and names only the type of a message field; each
 * field is therefore decoded alone, descending into the one that fails. Undefined when the JSON is
 * not an object or no single field is to blame.
 */
export function locateJsonError(desc: DescMessage, json: unknown, prefix = ''): FieldViolation | undefined {
  if (!isObject(json)) return undefined;
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.jsonName === key || f.name === key);
    const error = field && decodeError(desc, { [key]: value });
    if (!field || error === undefined) continue;
    const path = `${prefix}${field.name}`;
    return inside(field, value, path, error) ?? { field: path, description: describe(field, value, error) };
  }
  return undefined;
}

function inside(field: DescField, value: unknown, path: string, error: string): FieldViolation | undefined {
  if (field.fieldKind === 'message' && !isWellKnown(field.message))
    return locateJsonError(field.message, value, `${path}.`);
  if (field.fieldKind === 'list' && field.listKind === 'message' && Array.isArray(value)) {
    return firstBad(field.message, value.entries(), (i) => `${path}[${i}]`);
  }
  if (field.fieldKind === 'map' && field.mapKind === 'message' && isObject(value)) {
    return firstBad(field.message, Object.entries(value), (k) => `${path}[${JSON.stringify(k)}]`);
  }
  // A list of scalars or enums: protobuf-es counts its items from 1.
  const item = /^cannot decode field \S+ from JSON: list item #(\d+): (.*)$/s.exec(error);
  return item ? { field: `${path}[${Number(item[1]) - 1}]`, description: item[2]! } : undefined;
}

function firstBad(
  desc: DescMessage,
  entries: Iterable<[number | string, unknown]>,
  pathOf: (k: number | string) => string,
) {
  for (const [k, item] of entries) {
    const error = decodeError(desc, item);
    if (error === undefined) continue;
    if (isWellKnown(desc)) return { field: pathOf(k), description: WELL_KNOWN_FORMS[desc.typeName] ?? strip(error) };
    return (
      locateJsonError(desc, item, `${pathOf(k)}.`) ?? {
        field: pathOf(k),
        description: `must be a JSON object, got ${short(item)}`,
      }
    );
  }
  return undefined;
}

function decodeError(desc: DescMessage, json: unknown): string | undefined {
  try {
    fromJson(desc, json as JsonValue, { ignoreUnknownFields: true });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function describe(field: DescField, value: unknown, error: string): string {
  if (field.fieldKind === 'message') {
    if (isWellKnown(field.message)) return WELL_KNOWN_FORMS[field.message.typeName] ?? strip(error);
    if (!isObject(value)) return `must be a JSON object, got ${short(value)}`;
  }
  return strip(error);
}

/** "cannot decode field a.B.c from JSON: expected string, got 5" → "expected string, got 5". */
const strip = (error: string) => /^cannot decode .*? from JSON:? (.*)$/s.exec(error)?.[1] ?? error;
const short = (value: unknown) =>
  Array.isArray(value) ? 'an array' : (JSON.stringify(value)?.slice(0, 40) ?? String(value));

/**
 * Enum values given by a name the schema does not know. Connect's JSON decoder ignores unknown
 * fields for compatibility, and drops an unknown enum name with them: `"sort": "PRICE_CHEAPEST"`
 * would arrive as "unspecified" and be served as the default. Well-known types are not walked.
 */
export function unknownEnumNames(desc: DescMessage, json: unknown, prefix = ''): FieldViolation[] {
  if (!isObject(json)) return [];
  return desc.fields.flatMap((field) => {
    const value = json[field.jsonName] ?? json[field.name];
    const path = `${prefix}${field.name}`;
    switch (field.fieldKind) {
      case 'enum':
        return unknownName(field.enum, value, path);
      case 'message':
        return isWellKnown(field.message) ? [] : unknownEnumNames(field.message, value, `${path}.`);
      case 'list':
        if (!Array.isArray(value)) return [];
        if (field.listKind === 'enum') return value.flatMap((v, i) => unknownName(field.enum, v, `${path}[${i}]`));
        if (field.listKind === 'message' && !isWellKnown(field.message)) {
          return value.flatMap((v, i) => unknownEnumNames(field.message, v, `${path}[${i}].`));
        }
        return [];
      case 'map':
        if (!isObject(value)) return [];
        if (field.mapKind === 'enum')
          return Object.entries(value).flatMap(([k, v]) => unknownName(field.enum, v, `${path}[${JSON.stringify(k)}]`));
        if (field.mapKind === 'message' && !isWellKnown(field.message)) {
          return Object.entries(value).flatMap(([k, v]) =>
            unknownEnumNames(field.message, v, `${path}[${JSON.stringify(k)}].`),
          );
        }
        return [];
      default:
        return [];
    }
  });
}

function unknownName(e: DescEnum, value: unknown, path: string): FieldViolation[] {
  if (typeof value !== 'string' || e.values.some((v) => v.name === value)) return [];
  return [
    {
      field: path,
      description: `unknown value ${JSON.stringify(value).slice(0, 60)}; expected one of ${e.values.map((v) => v.name).join(', ')}`,
    },
  ];
}
