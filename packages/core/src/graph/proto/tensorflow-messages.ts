import protobuf from 'protobufjs';
import { TENSORFLOW_DESCRIPTOR } from './tensorflow-descriptor.js';

const root = protobuf.Root.fromJSON(TENSORFLOW_DESCRIPTOR as protobuf.INamespace);

/** TensorFlow's `SavedModel` message (saved_model.proto), the content of `saved_model.pb`. */
export const SavedModelMessage = root.lookupType('tensorflow.SavedModel');
/** TensorFlow's `GraphDef` message (graph.proto). */
export const GraphDefMessage = root.lookupType('tensorflow.GraphDef');

/** The element types the graph engine writes, by tfjs-style name. */
export type TfDType = 'float32' | 'int32' | 'int64' | 'bool' | 'resource' | 'bfloat16' | 'uint8';

const DATA_TYPES = root.lookupEnum('tensorflow.DataType').values;
const ENUM_NAMES: Record<TfDType, string> = {
  float32: 'DT_FLOAT',
  int32: 'DT_INT32',
  int64: 'DT_INT64',
  bool: 'DT_BOOL',
  resource: 'DT_RESOURCE',
  bfloat16: 'DT_BFLOAT16',
  uint8: 'DT_UINT8',
};

/** The `tensorflow.DataType` enum value of a dtype (types.proto). */
export function dataTypeEnum(dtype: TfDType): number {
  return DATA_TYPES[ENUM_NAMES[dtype]] as number;
}

/** A `TensorShapeProto` as a plain object; `null` dims are unknown (-1). */
export function shapeProto(shape: readonly (number | null)[] | undefined): Record<string, unknown> {
  if (shape === undefined) return { unknownRank: true };
  return { dim: shape.map((size) => ({ size: size ?? -1 })) };
}
