import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AttentionSlot, architectureOptions, defineArchitecture, defineAttention, definePlugin, Registry } from '../src/index.js';

/** A stand-in attention module: scales by a constant, in a layer named by the slot's prefix. */
const scale = defineAttention({
  name: 'scale',
  description: 'multiplies by a constant',
  options: z.object({ factor: z.number().positive().default(2) }).strict(),
  create:
    ({ factor }) =>
    (channels, name) =>
    (x) =>
      tfl.layers.dense({ units: channels, name: `${name}.scale${factor}`, useBias: false }).apply(x) as tfl.SymbolicTensor,
});

/** An architecture whose one block hosts the attention slot. */
const slotted = defineArchitecture({
  name: 'slotted',
  family: 'tiny',
  defaultInput: [4, 4, 3],
  options: architectureOptions(
    { numClasses: 2, inputShape: [4, 4, 3] },
    {
      attention: z
        .custom<AttentionSlot>((v) => typeof v === 'function')
        .nullable()
        .default(null),
    },
  ),
  build: ({ inputShape, attention }) => {
    const x = tfl.input({ shape: inputShape });
    const y = attention ? attention(inputShape[2], 'block1.attn')(x) : x;
    return tfl.model({ inputs: x, outputs: tfl.layers.flatten({ name: 'flatten' }).apply(y) as tfl.SymbolicTensor });
  },
});

const registry = new Registry().use(definePlugin({ name: 'tiny', architectures: [slotted], attention: [scale] }));
const names = (model: tfl.LayersModel) => model.layers.map((layer) => layer.name);

describe('attention references in architecture options', () => {
  it('turn a registered module name into the slot the builder calls', () => {
    expect(names(registry.create('slotted', { attention: 'scale' }))).toContain('block1.attn.scale2');
    expect(names(registry.create('slotted', { attention: { name: 'scale', options: { factor: 3 } } }))).toContain('block1.attn.scale3');
    expect(names(registry.create('slotted'))).not.toContain('block1.attn.scale2');
  });

  it('answer an unknown module with the closest names, and bad module options naming the option', () => {
    expect(() => registry.create('slotted', { attention: 'scael' })).toThrowError(/unknown attention module "scael"; did you mean "scale"/);
    expect(() => registry.create('slotted', { attention: { name: 'scale', options: { factr: 3 } } })).toThrowError(
      /bad options for attention module scale: unknown option "factr"; did you mean "factor"/,
    );
  });

  it('are left alone for an architecture without the slot, whose schema then rejects them', () => {
    const plain = defineArchitecture({
      ...slotted,
      name: 'plain',
      options: architectureOptions({ numClasses: 2, inputShape: [4, 4, 3] }, {}),
    });
    const withPlain = new Registry().use(definePlugin({ name: 'plain', architectures: [plain], attention: [scale] }));
    expect(() => withPlain.create('plain', { attention: 'scale' })).toThrowError(/unknown option "attention"/);
  });
});
