import { WEIGHT_INITS } from '@convkit/layers';

/**
 * The modern families initialise as torchvision does: He normal with fan-out for convolutions and
 * PyTorch's `nn.Linear` default for the classifier (see `WEIGHT_INITS`); batch norms start at
 * gamma = 1, beta = 0.
 */
export const MODERN_INIT = WEIGHT_INITS.torchvision;
