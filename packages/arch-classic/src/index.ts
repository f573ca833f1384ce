/**
 * @convkit/arch-classic: LeNet-5, AlexNet, VGG and GoogLeNet as convkit architectures, faithful to
 * their papers, with the torchvision forms that PyTorch weights import into.
 * @packageDocumentation
 */
export { buildLeNet5, type LeNet5Options, lenet5 } from './lenet.js';
export { plugin } from './plugin.js';
