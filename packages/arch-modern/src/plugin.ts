import { definePlugin } from '@convkit/core';
import { densenet121, densenet161, densenet169, densenet201, densenetBc100 } from './densenet.js';
import { mobilenetV1, mobilenetV1Cifar } from './mobilenet-v1.js';
import { mobilenetV2, mobilenetV2Cifar } from './mobilenet-v2.js';
import { preactResnet18, preactResnet164, preactResnet1001, wrn28x10 } from './preact-resnet.js';
import {
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
import { resnet20, resnet32, resnet44, resnet56, resnet110 } from './resnet-cifar.js';

/**
 * The package's contribution to the convkit registry: every modern architecture. The layer classes
 * their models contain (option A shortcuts, drop path, PyTorch-padded convolutions) are
 * `@convkit/layers`' contribution: use its plugin too before loading a saved model (the CLI loads
 * both). Nothing is registered on import; call `registry.use(plugin)`, or let the CLI run the
 * `convkit:register` hook.
 */
export const plugin = definePlugin({
  name: '@convkit/arch-modern',
  architectures: [
    resnet20,
    resnet32,
    resnet44,
    resnet56,
    resnet110,
    densenet121,
    densenet169,
    densenet201,
    densenet161,
    densenetBc100,
    mobilenetV1,
    mobilenetV1Cifar,
    mobilenetV2,
    mobilenetV2Cifar,
    resnet18,
    resnet34,
    resnet50,
    resnet101,
    resnet152,
    wideResnet50x2,
    wideResnet101x2,
    resnext50x32x4d,
    resnext101x32x8d,
    resnext29x8x64d,
    preactResnet18,
    preactResnet164,
    preactResnet1001,
    wrn28x10,
  ],
});
