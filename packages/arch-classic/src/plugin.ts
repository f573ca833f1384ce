import { definePlugin } from '@convkit/core';
import { alexnet, alexnetTv } from './alexnet.js';
import { googlenet, googlenetCifar, googlenetTv } from './googlenet.js';
import { lenet5 } from './lenet.js';
import { vgg11, vgg11Bn, vgg11Cifar, vgg13, vgg13Bn, vgg13Cifar, vgg16, vgg16Bn, vgg16Cifar, vgg19, vgg19Bn, vgg19Cifar } from './vgg.js';

/**
 * The package's contribution to the convkit registry: every classic architecture. The layer classes
 * their models contain (LRN, adaptive and ceil-mode pooling) are `@convkit/layers`' contribution:
 * use its plugin too before loading a saved model (the CLI loads both). Nothing is registered on
 * import; call `registry.use(plugin)`, or let the CLI run the `convkit:register` hook.
 */
export const plugin = definePlugin({
  name: '@convkit/arch-classic',
  architectures: [
    lenet5,
    alexnet,
    alexnetTv,
    vgg11,
    vgg11Bn,
    vgg13,
    vgg13Bn,
    vgg16,
    vgg16Bn,
    vgg19,
    vgg19Bn,
    vgg11Cifar,
    vgg13Cifar,
    vgg16Cifar,
    vgg19Cifar,
    googlenet,
    googlenetTv,
    googlenetCifar,
  ],
});
