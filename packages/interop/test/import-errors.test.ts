import { initBackend } from '@convkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTorchWeights, readSafetensors, type SafetensorsContents } from '../src/index.js';
import { expectOneLineError } from './support/errors.js';
import { hasTorchvision, registry, torchvisionReference } from './support/torchvision.js';

const VGG11 = { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [32, 32, 3] };

describe.skipIf(!hasTorchvision)('a state_dict that does not fit gives one error naming the tensors', () => {
  let contents: SafetensorsContents;
  beforeAll(async () => {
    await initBackend('auto');
    const reference = await torchvisionReference('vgg11', { width: 1 / 16, classes: 100, input: 32 });
    reference.input.dispose();
    reference.logits.dispose();
    contents = await readSafetensors(reference.weights);
  }, 120_000);

  const edited = (edit: (tensors: SafetensorsContents['tensors']) => void): SafetensorsContents => {
    const tensors = new Map(contents.tensors);
    edit(tensors);
    return { tensors, metadata: {} };
  };

  it('a missing tensor', async () => {
    const model = registry.create('vgg11', VGG11);
    const before = model.getLayer('features.conv1_1').getWeights()[0]!.dataSync().slice();
    const file = edited((t) => t.delete('features.3.weight'));
    await expectOneLineError(importTorchWeights(model, file, { family: 'vgg' }), /does not fit vgg11: missing features\.3\.weight; check/);
    // Nothing is assigned when the import fails.
    expect(Array.from(model.getLayer('features.conv1_1').getWeights()[0]!.dataSync())).toEqual(Array.from(before));
  });

  it('a tensor of the wrong shape', async () => {
    const file = edited((t) => {
      const w = t.get('classifier.6.weight')!;
      t.set('classifier.6.weight', { ...w, shape: [50, w.shape[1]!], bytes: w.bytes.subarray(0, w.bytes.byteLength / 2) });
    });
    await expectOneLineError(
      importTorchWeights(registry.create('vgg11', VGG11), file, { family: 'vgg' }),
      /mismatched classifier\.6\.weight \[50, 256\] for classifier\.fc8\/kernel \[256, 100\]/,
    );
  });

  it('an unexpected tensor', async () => {
    const file = edited((t) => t.set('extra.weight', t.get('classifier.6.bias')!));
    await expectOneLineError(importTorchWeights(registry.create('vgg11', VGG11), file, { family: 'vgg' }), /unexpected extra\.weight/);
  });

  it('the wrong architecture', async () => {
    const model = registry.create('alexnet-tv', { widthMultiplier: 1 / 16, numClasses: 100, inputShape: [64, 64, 3] });
    await expectOneLineError(
      importTorchWeights(model, contents, { family: 'alexnet' }),
      /does not fit alexnet-tv: .*mismatched features\.0\.weight \[4, 3, 3, 3\] for features\.conv1\/kernel \[11, 11, 3, 4\]/,
    );
  });

  it('strict: false imports what fits and reports a new head (another class count)', async () => {
    const model = registry.create('vgg11', { ...VGG11, numClasses: 10 });
    const report = await importTorchWeights(model, contents, { family: 'vgg', strict: false });
    expect(report.mismatched).toEqual([
      'classifier.6.weight [100, 256] for classifier.fc8/kernel [256, 10]',
      'classifier.6.bias [100] for classifier.fc8/bias [10]',
    ]);
    expect(report.assigned.length).toBe(model.weights.length - 2);
    expect([report.missing, report.unexpected]).toEqual([[], []]);
  });
});
