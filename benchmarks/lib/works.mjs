/**
 * The benchmarked work, as data shared by the tfjs and PyTorch runners (the orchestrator hands this
 * table to the Python side as JSON), with each work's floating-point operation count.
 * Shapes are NHWC here; the PyTorch runner transposes them to its NCHW.
 */

const conv = { batch: 32, height: 32, width: 32, inChannels: 64, outChannels: 64, kernel: 3 };
// MobileNet v1's 5th depthwise layer (28x28x256, 3x3, stride 1, at 224x224 input), batch 32.
const depthwise = { batch: 32, height: 28, width: 28, channels: 256, kernel: 3 };
// LeNet-5 as in LeCun et al. 1998 with 'same' padding on C1 for 28x28 input: tanh, average pooling.
const lenet = { batch: 128, input: [28, 28, 1], classes: 10 };
// MobileNet v2 in its CIFAR form (the paper's table, stride-1 stem, 32x32 input), batch 64.
const mobilenet = { batch: 64, input: [32, 32, 3], classes: 10 };
// ResNet-20 for CIFAR-10 (He et al. 2015, section 4.2): 3 stages of 3 basic blocks, 16/32/64 channels,
// projection (1x1 conv) shortcuts where the shape changes, batch norm after every convolution.
const resnet = { batch: 64, input: [32, 32, 3], classes: 10, stages: [16, 32, 64], blocksPerStage: 3 };
// The DARTS evaluation network of DARTS_V2 (Liu et al. 2019) at C=16 and 8 cells (the paper's CIFAR
// network is C=36, 20 cells), batch 64: 246,106 trainable parameters on both sides.
const darts = { batch: 64, input: [32, 32, 3], classes: 10, channels: 16, layers: 8 };
// The DARTS search network (Liu et al. 2019) at the paper's search size, C=16 and 8 cells of 14 mixed
// edges over the 8 primitives; a step takes a batch of 64 training and one of 64 validation images.
// 1,930,618 weights (alphas not counted) on both sides, the reference's count
// (packages/nas/test/fixtures/darts_param_counts.json), which both runners check before timing.
const dartsSearch = { batch: 64, input: [32, 32, 3], classes: 10, channels: 16, layers: 8, weights: 1930618 };
// ResNeXt-29 8x64d (Xie et al. 2017, CIFAR form) at a quarter of its width, so that a step takes
// about as long as ResNet-20's: a 16-channel 3x3 stem, then 3 stages of 3 bottlenecks whose 3x3 is
// grouped in 8 (128/256/512 wide, 64/128/256 out), projection shortcuts where the shape changes.
const resnext = {
  batch: 32,
  input: [32, 32, 3],
  classes: 10,
  stem: 16,
  widths: [128, 256, 512],
  outs: [64, 128, 256],
  groups: 8,
  blocksPerStage: 3,
};

const convFlops = (h, w, cin, cout, k) => 2 * h * w * cin * cout * k * k;

function lenetForwardFlops() {
  return convFlops(28, 28, 1, 6, 5) + convFlops(10, 10, 6, 16, 5) + 2 * (400 * 120 + 120 * 84 + 84 * 10);
}

function resnetForwardFlops() {
  let flops = convFlops(32, 32, 3, 16, 3);
  let size = 32;
  let channels = 16;
  resnet.stages.forEach((width, stage) => {
    for (let block = 0; block < resnet.blocksPerStage; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const out = size / stride;
      flops += convFlops(out, out, channels, width, 3) + convFlops(out, out, width, width, 3);
      if (stride !== 1 || channels !== width) flops += convFlops(out, out, channels, width, 1);
      size = out;
      channels = width;
    }
  });
  return flops + 2 * channels * resnet.classes;
}

function resnextForwardFlops() {
  let flops = convFlops(32, 32, 3, resnext.stem, 3);
  let size = 32;
  let channels = resnext.stem;
  resnext.widths.forEach((width, stage) => {
    const out = resnext.outs[stage];
    for (let block = 0; block < resnext.blocksPerStage; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const next = size / stride;
      flops += convFlops(size, size, channels, width, 1);
      flops += convFlops(next, next, width / resnext.groups, width, 3);
      flops += convFlops(next, next, width, out, 1);
      if (stride !== 1 || channels !== out) flops += convFlops(next, next, channels, out, 1);
      size = next;
      channels = out;
    }
  });
  return flops + 2 * channels * resnext.classes;
}

// A training step (forward, input and weight gradients) is counted as 3x the forward flops, the
// usual convention; elementwise ops, pooling and batch norm are not counted.
// Model works name the registered architecture (`arch`) that the tfjs side builds with
// `registry.create` and trains with convkit's own step; the PyTorch and Keras runners time the works
// whose model they have written out (their SETUPS / MODELS tables) and skip the others.
export const WORKS = [
  {
    name: 'conv3x3-fwd',
    title: 'conv 3x3 64->64, 32x32x32x64, forward',
    shape: conv,
    gflop: (conv.batch * convFlops(conv.height, conv.width, conv.inChannels, conv.outChannels, conv.kernel)) / 1e9,
  },
  {
    name: 'conv3x3-fwd-bwd',
    title: 'conv 3x3 64->64, 32x32x32x64, forward + both gradients',
    shape: conv,
    gflop: (3 * conv.batch * convFlops(conv.height, conv.width, conv.inChannels, conv.outChannels, conv.kernel)) / 1e9,
  },
  {
    name: 'depthwise3x3-fwd-bwd',
    title: 'depthwise 3x3, 32x28x28x256 (MobileNet v1 layer 5), forward + both gradients',
    shape: depthwise,
    gflop: (3 * depthwise.batch * convFlops(depthwise.height, depthwise.width, 1, depthwise.channels, depthwise.kernel)) / 1e9,
  },
  {
    name: 'lenet5-train-step',
    title: 'LeNet-5 SGD step, batch 128, 28x28x1',
    shape: lenet,
    arch: 'lenet5',
    gflop: (3 * lenet.batch * lenetForwardFlops()) / 1e9,
  },
  {
    name: 'resnet20-train-step',
    title: 'ResNet-20 (CIFAR) SGD step, batch 64, 32x32x3',
    shape: resnet,
    arch: 'resnet20',
    // PyTorch and Keras project (1x1 convolution + batch norm) where the shape changes.
    archOptions: { shortcut: 'B' },
    gflop: (3 * resnet.batch * resnetForwardFlops()) / 1e9,
    skip: { cpu: 'minutes per step on the pure-JS cpu backend (stock forward convolution ~0.5 GFLOP/s)' },
  },
  {
    name: 'mobilenet-v2-cifar-train-step',
    title: 'MobileNet v2 (CIFAR) SGD step, batch 64, 32x32x3',
    shape: mobilenet,
    arch: 'mobilenet-v2-cifar',
    gflop: null,
    skip: { cpu: 'minutes per step on the pure-JS cpu backend (stock forward convolution ~0.5 GFLOP/s)' },
  },
  {
    name: 'darts-v2-cifar-train-step',
    title: 'DARTS evaluation network (DARTS_V2, C=16, 8 cells) SGD step, batch 64, 32x32x3',
    shape: darts,
    arch: 'darts',
    archOptions: { genotype: 'DARTS_V2', channels: darts.channels, layers: darts.layers },
    gflop: null,
    skip: { cpu: 'minutes per step on the pure-JS cpu backend (stock forward convolution ~0.5 GFLOP/s)' },
  },
  ...[1, 2].map((order) => ({
    name: `darts-search-step-${order === 1 ? 'first' : 'second'}-order`,
    title: `DARTS search step, ${order === 1 ? 'first' : 'second'} order (C=16, 8 cells), batch 64 + 64 validation, 32x32x3`,
    shape: { ...dartsSearch, order },
    gflop: null,
    skip: { cpu: 'minutes per step on the pure-JS cpu backend (a search step is several training steps of a network 8x wider per edge)' },
  })),
  {
    name: 'resnext29-cifar-train-step',
    title: 'ResNeXt-29 8x64d (CIFAR) at width 1/4, SGD step, batch 32, 32x32x3',
    shape: resnext,
    arch: 'resnext29-8x64d',
    archOptions: { widthMultiplier: 0.25 },
    gflop: (3 * resnext.batch * resnextForwardFlops()) / 1e9,
    skip: { cpu: 'minutes per step on the pure-JS cpu backend (stock forward convolution ~0.5 GFLOP/s)' },
  },
];
