import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  architectureOptions,
  ConvkitError,
  checkedOutputKinds,
  defineArchitecture,
  type OutputDeclaration,
  Registry,
  softmaxLayerOfOutput,
} from '../src/index.js';

const head = (activation?: 'softmax') => tfl.layers.dense({ units: 3, name: 'head', ...(activation ? { activation } : {}) });

function sequentialNet(activation?: 'softmax', after: tfl.layers.Layer[] = []): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1], name: 'flatten' }), head(activation), ...after] });
}

function functionalNet(last: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor): tfl.LayersModel {
  const input = tfl.input({ shape: [4, 4, 1] });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: last(flat) });
}

const apply = (layer: tfl.layers.Layer) => (x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;

describe('softmaxLayerOfOutput', () => {
  it('finds the softmax of a Sequential model, whose outputLayers tfjs leaves empty', () => {
    const model = sequentialNet('softmax');
    expect(model.outputLayers).toHaveLength(0);
    expect(softmaxLayerOfOutput(model, 0)).toBe('head');
  });

  it('finds a softmax behind dropout and reshape, in a Softmax layer, an Activation layer and a nested model', () => {
    expect(
      softmaxLayerOfOutput(sequentialNet('softmax', [tfl.layers.dropout({ rate: 0.5 }), tfl.layers.reshape({ targetShape: [3, 1] })]), 0),
    ).toBe('head');
    expect(
      softmaxLayerOfOutput(
        functionalNet((x) => apply(tfl.layers.softmax({ name: 'probs' }))(apply(head())(x))),
        0,
      ),
    ).toBe('probs');
    const viaActivation = functionalNet((x) => apply(tfl.layers.activation({ activation: 'softmax', name: 'act' }))(apply(head())(x)));
    expect(softmaxLayerOfOutput(viaActivation, 0)).toBe('act');
    const nested = functionalNet((x) =>
      apply(tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [16], units: 3, activation: 'softmax', name: 'inner' })] }))(x),
    );
    expect(softmaxLayerOfOutput(nested, 0)).toBe('inner');
  });

  it('sees no softmax where the output is logits, or where a softmax feeds another layer', () => {
    expect(softmaxLayerOfOutput(sequentialNet(), 0)).toBeUndefined();
    const buried = functionalNet((x) => apply(tfl.layers.dense({ units: 2, name: 'after' }))(apply(head('softmax'))(x)));
    expect(softmaxLayerOfOutput(buried, 0)).toBeUndefined();
  });
});

describe('checkedOutputKinds', () => {
  it('defaults every output to logits, as the architecture contract says', () => {
    expect(checkedOutputKinds('net', sequentialNet(), undefined)).toEqual(['logits']);
  });

  it('accepts a declared softmax output as probabilities, one kind for all outputs or one per output', () => {
    expect(checkedOutputKinds('net', sequentialNet('softmax'), 'probabilities')).toEqual(['probabilities']);
    const input = tfl.input({ shape: [4] });
    const twoHeads = tfl.model({
      inputs: input,
      outputs: [
        tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(input) as tfl.SymbolicTensor,
        tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor,
      ],
    });
    expect(checkedOutputKinds('net', twoHeads, ['probabilities', 'logits'])).toEqual(['probabilities', 'logits']);
  });

  const refusals: [string, tfl.LayersModel, OutputDeclaration | undefined, RegExp][] = [
    ['a softmax output left at the default logits', sequentialNet('softmax'), undefined, /output 0 ends in a softmax \(layer "head"\)/],
    ['logits declared as probabilities', sequentialNet(), 'probabilities', /declares output 0 as probabilities but no softmax/],
    ['a declaration of the wrong length', sequentialNet(), ['logits', 'logits'], /declares 2 output kinds .* has 1 outputs/],
  ];
  it.each(refusals)('refuses %s with a one-line error', (_, model, declared, message) => {
    let thrown: unknown;
    try {
      checkedOutputKinds('net', model, declared);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConvkitError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});

describe('Registry and output kinds', () => {
  const softmaxNet = (outputs?: OutputDeclaration) =>
    defineArchitecture({
      name: 'softmax-net',
      family: 'tiny',
      defaultInput: [4, 4, 1],
      ...(outputs ? { outputs } : {}),
      options: architectureOptions({ numClasses: 3, inputShape: [4, 4, 1] }, {}),
      build: () => sequentialNet('softmax'),
    });

  it('create refuses a model that contradicts its declared outputs, and outputKinds reads the declaration', () => {
    const undeclared = new Registry().use({ name: 'p', architectures: [softmaxNet()] });
    expect(() => undeclared.create('softmax-net')).toThrowError(
      /declares logits; remove the softmax .* or declare outputs: 'probabilities'/,
    );
    const declared = new Registry().use({ name: 'p', architectures: [softmaxNet('probabilities')] });
    const model = declared.create('softmax-net');
    expect(declared.outputKinds('softmax-net', model)).toEqual(['probabilities']);
  });
});
