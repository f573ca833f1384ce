/**
 * @convkit/arch-modern: the residual, dense and mobile families (ResNet, pre-activation and wide
 * ResNets, ResNeXt, DenseNet, MobileNet v1/v2) as convkit architectures, in their torchvision forms
 * (which PyTorch weights import into by name) and their papers' CIFAR forms.
 * @packageDocumentation
 */
export { MODERN_INIT } from './conventions.js';
export {
  buildDenseNet,
  type DenseNetDepth,
  type DenseNetOptions,
  type DenseNetVariant,
  densenet121,
  densenet161,
  densenet169,
  densenet201,
  densenetBc100,
} from './densenet.js';
export { buildMobileNetV1, type MobileNetV1Options, mobilenetV1, mobilenetV1Cifar } from './mobilenet-v1.js';
export {
  buildMobileNetV2,
  type MobileNetV2BuildOptions,
  type MobileNetV2Form,
  type MobileNetV2Options,
  mobilenetV2,
  mobilenetV2Cifar,
} from './mobilenet-v2.js';
export { plugin } from './plugin.js';
export {
  buildPreActResNet,
  type PreActBuildOptions,
  type PreActOptions,
  type PreActVariant,
  preactResnet18,
  preactResnet164,
  preactResnet1001,
  wrn28x10,
} from './preact-resnet.js';
export { type BlockOrder, type BranchKind, type ResidualBlockOptions, residualBlock } from './residual-block.js';
export {
  buildResNet,
  type ResNetBuildOptions,
  type ResNetOptions,
  type ResNetVariant,
  resnet18,
  resnet34,
  resnet50,
  resnet101,
  resnet152,
  resnext29x8x64d,
  resnext50x32x4d,
  resnext101x32x8d,
  wideResnet50x2,
  wideResnet101x2,
} from './resnet.js';
export {
  buildCifarResNet,
  type CifarResNetBuildOptions,
  type CifarResNetDepth,
  type CifarResNetOptions,
  resnet20,
  resnet32,
  resnet44,
  resnet56,
  resnet110,
} from './resnet-cifar.js';
