/**
 * @convkit/arch-classic: LeNet-5, AlexNet, VGG and GoogLeNet as convkit architectures, faithful to
 * their papers, with the torchvision forms that PyTorch weights import into.
 * @packageDocumentation
 */
export { type AlexNetOptions, type AlexNetVariant, alexnet, alexnetTv, buildAlexNet } from './alexnet.js';
export {
  buildGoogLeNet,
  GOOGLENET_CONVENTIONS,
  type GoogLeNetBuildOptions,
  type GoogLeNetCifarOptions,
  type GoogLeNetConvention,
  type GoogLeNetOptions,
  type GoogLeNetVariant,
  googlenet,
  googlenetCifar,
  googlenetTv,
} from './googlenet.js';
export { buildLeNet5, type LeNet5Options, lenet5 } from './lenet.js';
export { plugin } from './plugin.js';
export {
  buildVgg,
  type VggBuildOptions,
  type VggCifarOptions,
  type VggDepth,
  type VggOptions,
  type VggVariant,
  vgg11,
  vgg11Bn,
  vgg11Cifar,
  vgg13,
  vgg13Bn,
  vgg13Cifar,
  vgg16,
  vgg16Bn,
  vgg16Cifar,
  vgg19,
  vgg19Bn,
  vgg19Cifar,
} from './vgg.js';
