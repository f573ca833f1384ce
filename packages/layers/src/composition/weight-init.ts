import type { InitializerSpec } from '../base/initializers.js';

/** How an architecture family initialises its convolution and fully connected kernels (biases start at zero). */
export interface WeightInit {
  conv: InitializerSpec;
  dense: InitializerSpec;
}

/**
 * The two initializations convkit's families use; each family states which one it follows:
 * - `keras`: Glorot uniform everywhere, Keras's default and its applications' (the classic families).
 *   tfjs-layers' own default, Glorot normal, draws a truncated normal by rejection in JavaScript,
 *   about five times slower (VGG-16's 138 M weights: ~5 s against ~1 s);
 * - `torchvision`: He normal with fan-out for convolutions (torchvision's ResNet, DenseNet and
 *   MobileNet, after He et al. 2015) and PyTorch's default `nn.Linear` init, uniform in
 *   `±1/sqrt(fan_in)`, for the classifier (the modern families).
 */
export const WEIGHT_INITS = {
  keras: { conv: 'glorotUniform', dense: 'glorotUniform' },
  torchvision: { conv: 'heNormalFanOut', dense: 'torchUniform' },
} as const satisfies Record<string, WeightInit>;
