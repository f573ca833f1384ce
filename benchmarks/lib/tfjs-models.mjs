/** LeNet-5 and ResNet-20 built with plain tfjs layers from the shapes in works.mjs. */

export function lenet5(tfl, spec) {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: spec.input, filters: 6, kernelSize: 5, padding: 'same', activation: 'tanh', name: 'c1' }),
      tfl.layers.averagePooling2d({ poolSize: 2, name: 's2' }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh', name: 'c3' }),
      tfl.layers.averagePooling2d({ poolSize: 2, name: 's4' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 120, activation: 'tanh', name: 'c5' }),
      tfl.layers.dense({ units: 84, activation: 'tanh', name: 'f6' }),
      tfl.layers.dense({ units: spec.classes, activation: 'softmax', name: 'output' }),
    ],
  });
  return model;
}

function convBn(tfl, x, filters, kernelSize, strides, name) {
  const conv = tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, name: `${name}.conv` }).apply(x);
  return tfl.layers.batchNormalization({ name: `${name}.bn` }).apply(conv);
}

export function resnet20(tfl, spec) {
  const input = tfl.input({ shape: spec.input });
  let x = tfl.layers.reLU({ name: 'stem.relu' }).apply(convBn(tfl, input, spec.stages[0], 3, 1, 'stem'));
  let channels = spec.stages[0];
  spec.stages.forEach((width, stage) => {
    for (let block = 0; block < spec.blocksPerStage; block++) {
      const name = `stage${stage + 1}.block${block + 1}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const h = tfl.layers.reLU({ name: `${name}.relu1` }).apply(convBn(tfl, x, width, 3, stride, `${name}.conv1`));
      const residual = convBn(tfl, h, width, 3, 1, `${name}.conv2`);
      const shortcut = stride !== 1 || channels !== width ? convBn(tfl, x, width, 1, stride, `${name}.shortcut`) : x;
      x = tfl.layers.reLU({ name: `${name}.relu2` }).apply(tfl.layers.add({ name: `${name}.add` }).apply([residual, shortcut]));
      channels = width;
    }
  });
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x);
  const output = tfl.layers.dense({ units: spec.classes, activation: 'softmax', name: 'fc' }).apply(pooled);
  return tfl.model({ inputs: input, outputs: output });
}
