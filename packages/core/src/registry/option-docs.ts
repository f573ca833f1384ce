import type { z } from 'zod';
import type { AnyArchitectureSpec } from './plugin.js';

/** One option of an architecture, as `convkit models summary` lists it. */
export interface ArchitectureOptionDoc {
  name: string;
  /** The value's type in short: `integer`, `boolean`, `relu|tanh`, `[integer, integer, integer]`. */
  type: string;
  /** The default value, or undefined when the option has none (it is then optional or required). */
  default?: unknown;
  required: boolean;
  description?: string;
}

// Zod keeps its structure in `_def`; these are the parts the docs read.
interface Def {
  typeName?: string;
  innerType?: z.ZodTypeAny;
  schema?: z.ZodTypeAny;
  defaultValue?: () => unknown;
  values?: readonly unknown[];
  value?: unknown;
  items?: z.ZodTypeAny[];
  type?: z.ZodTypeAny;
  options?: z.ZodTypeAny[];
  checks?: { kind: string }[];
  shape?: () => Record<string, z.ZodTypeAny>;
}

const defOf = (schema: z.ZodTypeAny) => schema._def as Def;

// Defaults, optionals, nullables and refinements wrap the type that says what a value is.
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.typeName === 'ZodEffects' ? def.schema : undefined);
    if (!inner) return current;
    current = inner;
  }
  return current;
}

function typeOf(schema: z.ZodTypeAny): string {
  const def = defOf(unwrap(schema));
  switch (def.typeName) {
    case 'ZodNumber':
      return def.checks?.some((c) => c.kind === 'int') ? 'integer' : 'number';
    case 'ZodEnum':
      return (def.values ?? []).join('|');
    case 'ZodLiteral':
      return JSON.stringify(def.value);
    case 'ZodTuple':
      return `[${(def.items ?? []).map(typeOf).join(', ')}]`;
    case 'ZodArray':
      return `${typeOf(def.type as z.ZodTypeAny)}[]`;
    case 'ZodUnion':
      return (def.options ?? []).map(typeOf).join('|');
    default:
      return (def.typeName ?? 'unknown').replace(/^Zod/, '').toLowerCase();
  }
}

function defaultOf(schema: z.ZodTypeAny): unknown {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    if (def.typeName === 'ZodDefault') return def.defaultValue?.();
    const inner = def.innerType ?? (def.typeName === 'ZodEffects' ? def.schema : undefined);
    if (!inner) return undefined;
    current = inner;
  }
  return undefined;
}

/** The fields of an object schema (possibly refined or defaulted); none for other schemas. */
export function objectShape(schema: z.ZodTypeAny): Record<string, z.ZodTypeAny> {
  const def = defOf(unwrap(schema));
  return def.typeName === 'ZodObject' && def.shape ? def.shape() : {};
}

/** The fields of an architecture's options schema (an object, possibly refined). */
export function optionShape(spec: AnyArchitectureSpec): Record<string, z.ZodTypeAny> {
  return objectShape(spec.options as unknown as z.ZodTypeAny);
}

/**
 * The options an architecture accepts, read from its zod schema: name, type, default and the
 * description given with `.describe()`, in declaration order.
 */
export function describeArchitectureOptions(spec: AnyArchitectureSpec): ArchitectureOptionDoc[] {
  return Object.entries(optionShape(spec)).map(([name, field]) => {
    const value = defaultOf(field);
    return {
      name,
      type: typeOf(field),
      ...(value === undefined ? {} : { default: value }),
      required: value === undefined && !field.isOptional(),
      ...(field.description ? { description: field.description } : {}),
    };
  });
}
