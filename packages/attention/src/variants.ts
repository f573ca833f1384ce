import { resnet20, resnet50 } from '@convkit/arch-modern';
import { cbamAttention } from './cbam.js';
import { se } from './squeeze-excite.js';
import { withAttention } from './with-attention.js';

/**
 * SE-ResNet-20: the CIFAR ResNet-20 of He et al. 2016 with squeeze-and-excitation (r = 16, timm's
 * rounding to multiples of 8) after the second batch norm of every basic block, before the add (Hu
 * et al. 2018, Fig. 3). Default input 32x32x3, 10 classes: 275,506 trainable parameters, ResNet-20's
 * 269,722 plus three modules each on 16, 32 and 64 channels (`2 C C' + C' + C`, C' = 8: 280, 552, 1,096).
 */
export const seResnet20 = withAttention(resnet20, se, {
  description: 'ResNet-20 (CIFAR) with squeeze-and-excitation (r = 16) in every basic block, before the add',
  reference: { params: 275_506, source: "ResNet-20 (269,722) + 9 SE modules by the formula 2CC' + C' + C" },
});

/**
 * CBAM-ResNet-20: CIFAR ResNet-20 with CBAM (r = 16, 7x7 spatial gate) after the second batch norm
 * of every basic block, before the add, as Woo et al. 2018 (Fig. 3) place it in ResNets. Default
 * input 32x32x3, 10 classes: 272,995 trainable parameters, ResNet-20's 269,722 plus three modules each
 * on 16, 32 and 64 channels (C' = floor(C / 16); MLP `2 C C' + C' + C` and 100 for the spatial gate).
 */
export const cbamResnet20 = withAttention(resnet20, cbamAttention, {
  description: 'ResNet-20 (CIFAR) with CBAM (channel then 7x7 spatial gate, r = 16) in every basic block, before the add',
  reference: { params: 272_995, source: "ResNet-20 (269,722) + 9 CBAM modules by the formula 2CC' + C' + C + 2*7^2 + 2" },
});

/**
 * SE-ResNet-50 (Hu et al. 2018): torchvision's ResNet-50 with SE (r = 16) after every bottleneck's
 * third batch norm, before the add. Default input 224x224x3: 28,088,024 trainable parameters, timm's
 * `seresnet50` and test/fixtures/param_counts.py (the paper's 28.09M).
 */
export const seResnet50 = withAttention(resnet50, se, {
  description: 'ResNet-50 with squeeze-and-excitation (r = 16) in every bottleneck, before the add',
  reference: { params: 28_088_024, source: 'timm seresnet50; test/fixtures/param_counts.py' },
});

/**
 * CBAM-ResNet-50 (Woo et al. 2018): ResNet-50 with CBAM in every bottleneck, before the add. Default
 * input 224x224x3: 28,089,624 trainable parameters, the official CBAM code's structure counted by
 * test/fixtures/param_counts.py (the paper's 28.09M).
 */
export const cbamResnet50 = withAttention(resnet50, cbamAttention, {
  description: 'ResNet-50 with CBAM (channel then 7x7 spatial gate, r = 16) in every bottleneck, before the add',
  reference: { params: 28_089_624, source: "official CBAM code's structure; test/fixtures/param_counts.py" },
});
