import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { GraphOps } from './graph-ops.js';
import { encodeSavedModel, SERVE_TAG, writeSavedModel } from './saved-model.js';
import { Tape } from './tape.js';
import { attr, TfGraph } from './tf-graph.js';

/** The part of tfjs-node the probe needs: loading a SavedModel signature and running it. */
export interface SavedModelLoader {
  node: {
    loadSavedModel(
      path: string,
      tags: string[],
      signature: string,
    ): Promise<{ predict(inputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>; dispose(): void }>;
  };
}

let registered: Promise<boolean> | undefined;

/**
 * Whether this process's libtensorflow runs oneDNN's layout-dependent ReLU and ReLU gradient
 * (`_MklRelu`, `_MklReluGrad`, what the training step's `oneDnnGradients` option writes): x86 CPU
 * builds with oneDNN register them, others may not. A two-op SavedModel is loaded and run once per
 * process, and its answer checked against ReLU and its gradient; any failure means no.
 */
export function oneDnnGradientsRegistered(loader: SavedModelLoader): Promise<boolean> {
  registered ??= probe(loader).catch(() => false);
  return registered;
}

async function probe(loader: SavedModelLoader): Promise<boolean> {
  const graph = new TfGraph();
  const ops = new GraphOps(graph, new Tape(graph), 'float32', true);
  // The ReLU of a sum is the one the option writes as _MklRelu.
  const x = ops.add([graph.floats([1, -1], [2], 'a'), graph.floats([1, -2], [2], 'b')], 'x');
  const relu = ops.activation(x, 'relu', 'relu');
  const dx = ops.tape.gradients(relu, graph.floats([2, 3], [2], 'dy'), [x]).get(x) as string;
  const out = graph.op('AddV2', [relu, dx], { T: attr.type('float32') }, { name: 'out' });
  const init = graph.op('NoOp', [], {}, { name: 'init' });
  const dir = mkdtempSync(join(tmpdir(), 'convkit-onednn-'));
  try {
    writeSavedModel(
      dir,
      encodeSavedModel(graph.nodes, { probe: { inputs: {}, outputs: { out: { tensor: out, dtype: 'float32', shape: [2] } } } }, init),
    );
    const session = await loader.node.loadSavedModel(dir, [SERVE_TAG], 'probe');
    try {
      const out = session.predict([]);
      const result = (Array.isArray(out) ? out[0] : 'out' in out ? out.out : out) as tf.Tensor;
      const values = Array.from(await result.data());
      result.dispose();
      // relu(x) + relu'(x) dy for x = [2, -3], dy = [2, 3].
      return values[0] === 4 && values[1] === 0;
    } finally {
      session.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
