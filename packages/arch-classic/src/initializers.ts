/**
 * Kernel initializer of every convolution and fully connected layer: Glorot uniform, Keras's default
 * (and its applications' VGG). tfjs-layers defaults to Glorot normal, which draws from a truncated
 * normal by rejection in plain JavaScript, about five times slower: VGG-16's 138 M weights take
 * about 5 s to draw that way and about 1 s uniformly.
 */
export const KERNEL_INITIALIZER = 'glorotUniform';
