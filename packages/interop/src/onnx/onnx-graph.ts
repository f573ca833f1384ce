import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** An attribute value of an ONNX node: an int, a float, a list of ints, or a list of floats. */
export type AttributeValue = number | number[] | { float: number } | { floats: number[] } | { string: string };

/** The float and int64 element types of ONNX tensors. */
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
}

function valueInfo(name: string, shape: (number | null)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: shape.map((size) => (size === null ? { dimParam: 'batch' } : { dimValue: size })) },
      },
    },
  };
}

/**
 * An ONNX graph being written: nodes in execution order, weights as initializers, unique value
 * names. {@link OnnxGraph.encode} serializes it as a ModelProto with the official onnx.proto schema
 * (through `onnx-proto`'s protobufjs code).
 */
export class OnnxGraph {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly taken = new Set<string>();

  /** A value name based on `base` that no other value has. */
  name(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node computing `op` of `inputs` and returns its output's name (based on `output`). */
  node(op: string, inputs: string[], output: string, attributes: Record<string, AttributeValue> = {}): string {
    const name = this.name(output);
    this.nodes.push({
      opType: op,
      name,
      input: inputs,
      output: [name],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return name;
  }

  /** Adds a float32 weight and returns its name. */
  floats(base: string, dims: number[], values: Float32Array): string {
    const name = this.name(base);
    const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: raw });
    return name;
  }

  /** Adds an int64 constant (shapes, pads, axes) and returns its name. */
  int64s(base: string, values: number[]): string {
    const name = this.name(base);
    const raw = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
    this.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: raw });
    return name;
  }

  /** Declares a graph input of `shape` (null for the batch axis) and returns its name. */
  input(base: string, shape: (number | null)[]): string {
    const name = this.name(base);
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  /** Declares value `name` a graph output of `shape`. */
  output(name: string, shape: (number | null)[]): void {
    this.outputs.push(valueInfo(name, shape));
  }

  /** Operator types used, for reports. */
  opTypes(): string[] {
    return [...new Set(this.nodes.map((n) => n.opType as string))];
  }

  /** The serialized ModelProto. */
  encode(options: { name: string; opset: number; docString?: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: onnx.Version.IR_VERSION,
      producerName: 'convkit',
      opsetImport: [{ domain: '', version: options.opset }],
      docString: options.docString ?? '',
      graph: {
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
