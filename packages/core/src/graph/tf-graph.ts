import { ConvkitError } from '../errors.js';
import { dataTypeEnum, shapeProto, type TfDType } from './proto/tensorflow-messages.js';

/** An `AttrValue` as protobufjs plain object (attr_value.proto). */
export type AttrValue = Record<string, unknown>;

/** Builders of the `AttrValue`s the engine's ops take. */
export const attr = {
  type: (dtype: TfDType): AttrValue => ({ type: dataTypeEnum(dtype) }),
  int: (value: number): AttrValue => ({ i: value }),
  ints: (values: readonly number[]): AttrValue => ({ list: { i: [...values] } }),
  float: (value: number): AttrValue => ({ f: value }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  string: (value: string): AttrValue => ({ s: new TextEncoder().encode(value) }),
  shape: (shape: readonly (number | null)[] | undefined): AttrValue => ({ shape: shapeProto(shape) }),
  tensor: (tensor: Record<string, unknown>): AttrValue => ({ tensor }),
};

/** A `NodeDef` as protobufjs plain object (node_def.proto). */
export interface NodeDef {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, AttrValue>;
}

/** Options of {@link TfGraph.op}. */
export interface OpOptions {
  /** Base of the node's name; default the op type. A suffix makes it unique. */
  name?: string;
  /** Nodes that must run before this one (control dependencies). */
  after?: readonly string[];
}

// TensorFlow's node-name grammar (graph/node_builder): letters, digits, `.`, then also `_ - /`.
const NAME_CHARS = /[^A-Za-z0-9_./-]/g;

/**
 * A TensorFlow graph being written: `NodeDef`s in creation order with unique names. A tensor is
 * named `node` (output 0) or `node:i`, TensorFlow's own convention, so names go straight into
 * `NodeDef.input` and signatures.
 */
export class TfGraph {
  readonly nodes: NodeDef[] = [];
  private readonly taken = new Set<string>();

  /** A node name based on `base` (made valid for TensorFlow) that no other node has. */
  uniqueName(base: string): string {
    let clean = base.replace(NAME_CHARS, '_').replace(/^[^A-Za-z0-9.]+/, '');
    if (clean === '') clean = 'node';
    let name = clean;
    for (let i = 1; this.taken.has(name); i++) name = `${clean}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node running `op` on `inputs` and returns its name (its output 0). */
  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, options: OpOptions = {}): string {
    for (const input of inputs) {
      if (input === undefined) throw new ConvkitError('graph-bug', `an input of ${op} ${options.name ?? ''} is missing`);
    }
    const name = this.uniqueName(options.name ?? op);
    this.nodes.push({ name, op, input: [...inputs, ...(options.after ?? []).map((node) => `^${nodeOf(node)}`)], attr: attrs });
    return name;
  }

  /** A float32 constant of `shape`. */
  floats(values: ArrayLike<number>, shape: readonly number[], name = 'const'): string {
    return this.constant(Float32Array.from(values), shape, 'float32', name);
  }

  /** An int32 constant of `shape` (default: a vector). */
  ints(values: readonly number[], shape: readonly number[] = [values.length], name = 'const'): string {
    return this.constant(Int32Array.from(values), shape, 'int32', name);
  }

  /** A uint8 constant of `shape` (default: a vector). */
  bytes(values: readonly number[], shape: readonly number[] = [values.length], name = 'const'): string {
    return this.constant(Uint8Array.from(values), shape, 'uint8', name);
  }

  /** A float32 scalar. */
  scalar(value: number, name = 'scalar'): string {
    return this.floats([value], [], name);
  }

  private constant(values: Float32Array | Int32Array | Uint8Array, shape: readonly number[], dtype: TfDType, name: string): string {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    const tensor = { dtype: dataTypeEnum(dtype), tensorShape: shapeProto(shape), tensorContent: bytes };
    return this.op('Const', [], { dtype: attr.type(dtype), value: attr.tensor(tensor) }, { name });
  }

  /** The op types used, sorted, for reports and tests. */
  opTypes(): string[] {
    return [...new Set(this.nodes.map((n) => n.op))].sort();
  }
}

/** The node that produces tensor `tensor` (`node:1` -> `node`). */
export function nodeOf(tensor: string): string {
  const colon = tensor.lastIndexOf(':');
  return colon < 0 ? tensor : tensor.slice(0, colon);
}

/** Output `index` of node `node`. */
export function output(node: string, index: number): string {
  return index === 0 ? node : `${node}:${index}`;
}

/** A tensor name as a signature's `TensorInfo` wants it: always with its output index. */
export function withIndex(tensor: string): string {
  return tensor.includes(':') ? tensor : `${tensor}:0`;
}
