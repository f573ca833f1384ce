import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataTypeEnum, SavedModelMessage, shapeProto, type TfDType } from './proto/tensorflow-messages.js';
import { type NodeDef, withIndex } from './tf-graph.js';

/** One input or output of a signature: a graph tensor, its dtype and shape (`null` = any size). */
export interface SignatureTensor {
  tensor: string;
  dtype: TfDType;
  shape: (number | null)[];
}

/** A named signature: inputs and outputs by key. */
export interface Signature {
  inputs: Record<string, SignatureTensor>;
  outputs: Record<string, SignatureTensor>;
}

/** The tag the engine's MetaGraphDef carries (what `loadSavedModel` asks for by default). */
export const SERVE_TAG = 'serve';
/** TensorFlow's GraphDef version of 2.9.1 (`tf.version.GRAPH_DEF_VERSION`). */
const GRAPH_DEF_VERSION = 1087;
// TensorFlow's loader runs the node this signature's output names after it creates the session
// (loader.cc `GetInitOp`, key kSavedModelInitOpSignatureKey); tfjs-node skips it when listing signatures.
const INIT_OP_KEY = '__saved_model_init_op';

function tensorInfo(t: SignatureTensor): Record<string, unknown> {
  return { name: withIndex(t.tensor), dtype: dataTypeEnum(t.dtype), tensorShape: shapeProto(t.shape) };
}

/**
 * Serializes a SavedModel (saved_model.proto) of one MetaGraphDef tagged {@link SERVE_TAG}: the graph,
 * its signatures, and `initOp`, the node that initialises every variable. It has no variables
 * checkpoint: TensorFlow's loader then restores nothing and runs the init op, so the variables start
 * from the constants the graph holds.
 */
export function encodeSavedModel(nodes: readonly NodeDef[], signatures: Record<string, Signature>, initOp: string): Uint8Array {
  const signatureDef: Record<string, unknown> = {
    [INIT_OP_KEY]: { inputs: {}, outputs: { [INIT_OP_KEY]: { name: initOp } }, methodName: '' },
  };
  for (const [key, { inputs, outputs }] of Object.entries(signatures)) {
    const map = (entries: Record<string, SignatureTensor>) =>
      Object.fromEntries(Object.entries(entries).map(([k, t]) => [k, tensorInfo(t)]));
    signatureDef[key] = { inputs: map(inputs), outputs: map(outputs), methodName: 'tensorflow/serving/predict' };
  }
  const message = SavedModelMessage.fromObject({
    savedModelSchemaVersion: 1,
    metaGraphs: [
      {
        metaInfoDef: { tags: [SERVE_TAG], tensorflowVersion: '2.9.1', tensorflowGitVersion: 'convkit' },
        graphDef: { node: nodes, versions: { producer: GRAPH_DEF_VERSION, minConsumer: 0 } },
        signatureDef,
      },
    ],
  });
  return SavedModelMessage.encode(message).finish();
}

/** Writes `saved_model.pb` into `dir` (created if missing). */
export function writeSavedModel(dir: string, bytes: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'saved_model.pb'), bytes);
}
