import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { tfjsNode } from '../../src/graph/graph-engine.js';
import { GraphOps } from '../../src/graph/graph-ops.js';
import { Tape } from '../../src/graph/tape.js';
import { TfGraph } from '../../src/graph/tf-graph.js';
import { activeBackend, type ComputeDType, GraphEngine, type GraphState, oneDnnGradientsRegistered } from '../../src/index.js';
import { describeGraphEngine, type GradientBatch, gradientBatch, withSeededModel } from '../../src/testing/index.js';

/** ReLU after a convolution, after batch norm (which grappler fuses forward), after a residual Add and in a Dense layer. */
function reluModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 2] });
  const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
  const branch = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(conv) as tfl.SymbolicTensor;
  const normed = tfl.layers.batchNormalization({}).apply(branch) as tfl.SymbolicTensor;
  const bnRelu = tfl.layers.activation({ activation: 'relu' }).apply(normed) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([bnRelu, conv]) as tfl.SymbolicTensor;
  const addRelu = tfl.layers.activation({ activation: 'relu' }).apply(sum) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(addRelu) as tfl.SymbolicTensor;
  const hidden = tfl.layers.dense({ units: 5, activation: 'relu' }).apply(flat) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3 }).apply(hidden) as tfl.SymbolicTensor });
}

/** Every variable after one momentum-free SGD step at learning rate 1 (so `before - after` is the gradient), and the step's op types. */
async function afterOneStep(model: tfl.LayersModel, batch: GradientBatch, compute: ComputeDType, oneDnnGradients?: boolean) {
  const engine = await GraphEngine.create(model, { optimizer: { name: 'sgd', momentum: 0 }, compute, oneDnnGradients });
  try {
    await engine.step(batch.images, batch.labels, batch.count, 1);
    return { state: (await engine.readState()) as GraphState, opTypes: engine.compiled.opTypes };
  } finally {
    engine.dispose();
  }
}

describe('ReLU placement', () => {
  it('only the ReLU of a residual sum runs as _MklRelu: after batch norm, a bias or a matrix product it stays Relu, for grappler to fuse', () => {
    const graph = new TfGraph();
    const ops = new GraphOps(graph, new Tape(graph), 'bfloat16', true);
    const x = ops.toCompute(graph.floats(new Array(16).fill(1), [1, 2, 2, 4], 'x'), 'x/compute');
    const gamma = graph.floats([1, 1, 1, 1], [4], 'gamma');
    const normed = ops.batchNormTraining(x, gamma, graph.floats([0, 0, 0, 0], [4], 'beta'), 1e-3, 'bn').y;
    ops.activation(normed, 'relu', 'bn/relu');
    ops.activation(ops.biasAdd(x, gamma, 'bias'), 'relu', 'bias/relu');
    ops.activation(ops.add([x, normed], 'sum'), 'relu', 'sum/relu');
    const opOf = (name: string) => graph.nodes.find((n) => n.name === name)?.op;
    expect([opOf('bn/relu'), opOf('bias/relu'), opOf('sum/relu')]).toEqual(['Relu', 'Relu', '_MklRelu']);
    const eigen = new TfGraph();
    const plain = new GraphOps(eigen, new Tape(eigen), 'float32', false);
    plain.activation(plain.add([eigen.scalar(1, 'a'), eigen.scalar(2, 'b')], 'sum'), 'relu', 'sum/relu');
    expect(eigen.nodes.find((n) => n.name === 'sum/relu')?.op).toBe('Relu');
  });
});

await describeGraphEngine('ReLU gradient on oneDNN on %s', () => {
  it("oneDNN's ReLU and ReLU gradient move every weight exactly as Eigen's Relu and ReluGrad do, in float32 and bfloat16", async () => {
    const batch = gradientBatch([6, 6, 2], 5, 3);
    for (const compute of ['float32', 'bfloat16'] as const) {
      await withSeededModel(11, reluModel, async (model) => {
        const eigen = await afterOneStep(model, batch, compute, false);
        const oneDnn = await afterOneStep(model, batch, compute, true);
        expect(eigen.opTypes).toContain('ReluGrad');
        expect(oneDnn.opTypes).toContain('_MklReluGrad');
        expect(oneDnn.opTypes).toContain('_MklRelu');
        expect(eigen.opTypes).not.toContain('_MklRelu');
        expect(oneDnn.opTypes).not.toContain('ReluGrad');
        expect(oneDnn.state).toEqual(eigen.state);
      });
    }
  });

  it("the engine writes oneDNN's ReLU gradient by default exactly where this libtensorflow runs it, on the CPU backend", async () => {
    const cpu = activeBackend()?.backend === 'tensorflow';
    const registered = await oneDnnGradientsRegistered(await tfjsNode());
    // tfjs-node's libtensorflow 2.9.1 for x86-64 Linux is built with oneDNN.
    if (cpu && process.platform === 'linux' && process.arch === 'x64') expect(registered).toBe(true);
    const expected = cpu && registered;
    await withSeededModel(11, reluModel, async (model) => {
      const { opTypes } = await afterOneStep(model, gradientBatch([6, 6, 2], 2, 3), 'float32');
      expect(opTypes.includes('_MklReluGrad')).toBe(expected);
      expect(opTypes.includes('ReluGrad')).toBe(!expected);
    });
  });
});
